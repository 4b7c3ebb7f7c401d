using System.Text.Json;
using System.Text.RegularExpressions;

namespace Quiz.Tests.Deploy;

/// <summary>One instruction of a Dockerfile, continuation lines joined.</summary>
public sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>The arguments as words: the JSON (exec) form parsed, otherwise split on whitespace; leading --flags included.</summary>
    public IReadOnlyList<string> Words()
    {
        var text = Arguments.Trim();
        var flags = new List<string>();
        while (text.StartsWith("--", StringComparison.Ordinal))
        {
            var end = text.IndexOfAny([' ', '\t']);
            flags.Add(end < 0 ? text : text[..end]);
            text = end < 0 ? string.Empty : text[end..].TrimStart();
        }

        if (text.StartsWith('['))
        {
            return [.. flags, .. JsonSerializer.Deserialize<string[]>(text) ?? []];
        }

        return [.. flags, .. text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>The value of a leading --name=value flag, or null.</summary>
    public string? Flag(string name) =>
        Words().Where(w => w.StartsWith($"--{name}=", StringComparison.Ordinal)).Select(w => w[(name.Length + 3)..]).FirstOrDefault();

    /// <summary>The words after the leading --flags.</summary>
    public IReadOnlyList<string> Operands() => Words().SkipWhile(w => w.StartsWith("--", StringComparison.Ordinal)).ToList();
}

/// <summary>A build stage: its FROM and the instructions up to the next FROM.</summary>
public sealed record DockerStage(string BaseImage, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => string.Equals(i.Keyword, keyword, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A Dockerfile read just far enough to check what the deployment relies on: stages, COPY sources, USER, HEALTHCHECK.</summary>
public sealed partial class DockerfileModel
{
    private DockerfileModel(string relativePath, IReadOnlyList<DockerInstruction> instructions, IReadOnlyList<string> comments)
    {
        RelativePath = relativePath;
        Instructions = instructions;
        Comments = comments;
        var stages = new List<DockerStage>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Operands();
                var name = words.Count >= 3 && string.Equals(words[1], "AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                stages.Add(new DockerStage(words[0], name, []));
            }
            else if (stages.Count > 0)
            {
                var last = stages[^1];
                stages[^1] = last with { Instructions = [.. last.Instructions, instruction] };
            }
        }

        Stages = stages;
    }

    /// <summary>The path from the repository root, with '/' separators.</summary>
    public string RelativePath { get; }

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    /// <summary>The text of every comment line.</summary>
    public IReadOnlyList<string> Comments { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage FinalStage => Stages[^1];

    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => string.Equals(i.Keyword, keyword, StringComparison.OrdinalIgnoreCase));

    /// <summary>The image's HTTP health check, when it has one that is not "NONE".</summary>
    public DockerInstruction? HealthCheck =>
        All("HEALTHCHECK").LastOrDefault() is { } check && !check.Arguments.Trim().Equals("NONE", StringComparison.OrdinalIgnoreCase) ? check : null;

    public static DockerfileModel Load(string relativePath)
    {
        var full = Path.Combine(RepositoryRoot.Path, relativePath);
        Assert.True(File.Exists(full), $"{relativePath} does not exist.");
        var instructions = new List<DockerInstruction>();
        var comments = new List<string>();
        var lines = File.ReadAllLines(full);
        string? pending = null;
        var pendingLine = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith('#'))
            {
                // A comment, also when it sits between the continuation lines of one instruction.
                comments.Add(line.TrimStart('#').Trim());
                continue;
            }

            if (pending is null && line.Length == 0)
            {
                continue;
            }

            if (pending is null)
            {
                pendingLine = i + 1;
            }

            var continues = line.EndsWith('\\');
            pending = pending is null ? string.Empty : pending + " ";
            pending += continues ? line[..^1].TrimEnd() : line;
            if (!continues)
            {
                var match = InstructionPattern().Match(pending);
                Assert.True(match.Success, $"{relativePath}:{pendingLine} is not an instruction: {pending}");
                instructions.Add(new DockerInstruction(match.Groups[1].Value.ToUpperInvariant(), match.Groups[2].Value, pendingLine));
                pending = null;
            }
        }

        Assert.True(pending is null, $"{relativePath} ends inside a continued instruction.");
        return new DockerfileModel(relativePath.Replace('\\', '/'), instructions, comments);
    }

    [GeneratedRegex(@"^([A-Za-z]+)\s*(.*)$")]
    private static partial Regex InstructionPattern();
}
