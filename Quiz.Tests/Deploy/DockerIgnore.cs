using System.Text;
using System.Text.RegularExpressions;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Deploy;

/// <summary>
/// The repository's .dockerignore, matched as Docker does: '*' and '?' within one path segment, '**' across segments,
/// a match on a directory leaves out everything under it, '!' takes a path back in, and the last matching line wins.
/// </summary>
public sealed class DockerIgnore
{
    private readonly IReadOnlyList<(Regex Pattern, bool Include)> _rules;

    private DockerIgnore(IReadOnlyList<(Regex Pattern, bool Include)> rules)
    {
        _rules = rules;
    }

    public static DockerIgnore Load()
    {
        var file = Path.Combine(RepositoryRoot.Path, ".dockerignore");
        var rules = new List<(Regex, bool)>();
        if (File.Exists(file))
        {
            foreach (var raw in File.ReadAllLines(file))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                var include = line.StartsWith('!');
                var pattern = (include ? line[1..] : line).Trim().Trim('/');
                if (pattern.StartsWith("./", StringComparison.Ordinal))
                {
                    pattern = pattern[2..];
                }

                rules.Add((ToRegex(pattern), include));
            }
        }

        return new DockerIgnore(rules);
    }

    /// <summary>Whether a path of the build context (relative, '/' separators) is left out of it.</summary>
    public bool Excludes(string relativePath)
    {
        var segments = relativePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var excluded = false;
        foreach (var (pattern, include) in _rules)
        {
            // A line matches the path itself or any directory above it.
            for (var length = 1; length <= segments.Length; length++)
            {
                if (pattern.IsMatch(string.Join('/', segments.Take(length))))
                {
                    excluded = !include;
                    break;
                }
            }
        }

        return excluded;
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slashFollows = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slashFollows ? "(.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
