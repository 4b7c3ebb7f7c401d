using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Quiz.Bank;

/// <summary>One problem with one question (or with the bank as a whole when <see cref="QuestionId"/> is null).</summary>
public sealed record ValidationProblem(string? QuestionId, string Message)
{
    public override string ToString() => QuestionId is null ? Message : $"{QuestionId}: {Message}";
}

/// <summary>
/// The bank's quality rules, shared by the validator command, operator imports and generated questions:
/// the limits of each field, exactly one correct option among four distinct ones, no duplicates or rewordings,
/// and for a whole bank the count per topic and level and the spread of the correct letter.
/// </summary>
public static partial class QuestionValidator
{
    public const int MaxQuestionLength = 300;
    public const int MaxOptionLength = 120;
    public const int MaxExplanationLength = 800;
    public const int MaxIdLength = 48;
    public const int MinimumPerTopicAndLevel = 15;

    /// <summary>Two questions whose normalized texts share this much of their word pairs are the same question reworded.</summary>
    public const double NearDuplicateSimilarity = 0.6;

    private static readonly string[] Levels = Enum.GetNames<Level>();

    /// <summary>Checks each question on its own, and the set for duplicates among themselves and against <paramref name="existing"/>.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(IReadOnlyList<QuestionFileEntry> questions, IReadOnlyList<QuestionFileEntry>? existing = null)
    {
        var problems = new List<ValidationProblem>();
        foreach (var question in questions)
        {
            problems.AddRange(ValidateOne(question));
        }

        problems.AddRange(FindReusedIds(questions));
        problems.AddRange(FindNearDuplicates(questions, existing ?? []));
        problems.AddRange(FindChangedMeanings(questions, existing ?? []));
        return problems;
    }

    /// <summary>
    /// Incoming questions whose id is in the bank with another topic, level, wording, options or answer. Learners hold
    /// open questions by id, so an id never changes meaning: an edit gets a new id, and the old one is retired. The
    /// explanation and the reference may be corrected in place.
    /// </summary>
    public static IEnumerable<ValidationProblem> FindChangedMeanings(IReadOnlyList<QuestionFileEntry> questions, IReadOnlyList<QuestionFileEntry> existing)
    {
        var byId = existing.Where(e => e.Id is not null).ToDictionary(e => e.Id!, StringComparer.Ordinal);
        foreach (var question in questions)
        {
            if (question.Id is { } id && byId.TryGetValue(id, out var stored) && !SameMeaning(question, stored))
            {
                yield return new ValidationProblem(id, $"is already in the bank with another topic, level, wording, options or answer: an id never changes meaning (learners may hold it open); give the edit a new id and retire {id}");
            }
        }
    }

    private static IEnumerable<ValidationProblem> FindReusedIds(IReadOnlyList<QuestionFileEntry> questions) =>
        questions.Where(q => q.Id is not null).GroupBy(q => q.Id!, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => new ValidationProblem(g.Key, $"the id is used {g.Count()} times"));

    /// <summary>
    /// Everything in <see cref="Validate"/>, plus what a whole bank must have: 15 per topic and level, letters evenly
    /// spread. Retired questions are checked on their own and for their ids only.
    /// </summary>
    public static IReadOnlyList<ValidationProblem> ValidateBank(IReadOnlyList<QuestionFileEntry> bank)
    {
        // A retired question keeps its id for ever and must still be well formed; the bank's rules are about the rest.
        var retired = bank.Where(q => q.IsRetired).ToList();
        bank = [.. bank.Where(q => !q.IsRetired)];
        var problems = Validate(bank).ToList();
        problems.AddRange(retired.SelectMany(ValidateOne));
        problems.AddRange(FindReusedIds([.. bank, .. retired]).Where(p => retired.Any(r => r.Id == p.QuestionId)));
        foreach (var topic in Topics.All)
        {
            foreach (var level in Levels)
            {
                var count = bank.Count(q => q.Topic == topic && q.Level == level);
                if (count < MinimumPerTopicAndLevel)
                {
                    problems.Add(new ValidationProblem(null, $"{topic} / {level} has {count} questions; at least {MinimumPerTopicAndLevel} are needed"));
                }
            }
        }

        var answered = bank.Where(q => q.Correct is >= 0 and <= 3).ToList();
        if (answered.Count > 0)
        {
            foreach (var (letter, share) in LetterSpread(answered))
            {
                if (share is < 0.20 or > 0.30)
                {
                    problems.Add(new ValidationProblem(null, string.Create(CultureInfo.InvariantCulture,
                        $"the correct option is {letter} in {share:P1} of the bank; each letter must be within 25% ± 5%")));
                }
            }
        }

        return problems;
    }

    /// <summary>The share of questions whose correct option is each letter.</summary>
    public static IReadOnlyList<(char Letter, double Share)> LetterSpread(IReadOnlyList<QuestionFileEntry> bank) =>
        [.. Enumerable.Range(0, 4).Select(i => ((char)('A' + i), bank.Count == 0 ? 0 : (double)bank.Count(q => q.Correct == i) / bank.Count))];

    public static IEnumerable<ValidationProblem> ValidateOne(QuestionFileEntry q)
    {
        var id = q.Id;
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength || !IdPattern().IsMatch(id))
        {
            yield return new ValidationProblem(id, $"the id must be 2-{MaxIdLength} characters of a-z, 0-9 and '-', starting with a letter or digit");
        }

        if (q.Topic is null || !Topics.All.Contains(q.Topic))
        {
            yield return new ValidationProblem(id, $"unknown topic '{q.Topic}'; use one of: {string.Join(", ", Topics.All)}");
        }

        if (q.Level is null || !Levels.Contains(q.Level))
        {
            yield return new ValidationProblem(id, $"unknown level '{q.Level}'; use one of: {string.Join(", ", Levels)}");
        }

        foreach (var problem in ValidateQuestionText(id, "", q.Question).Concat(ValidateOptions(id, "", q.Options)))
        {
            yield return problem;
        }

        if (q.Correct is not (>= 0 and <= 3))
        {
            yield return new ValidationProblem(id, $"'correct' must name exactly one option: 0 to 3 (A to D), not {q.Correct?.ToString(CultureInfo.InvariantCulture) ?? "missing"}");
        }

        foreach (var problem in ValidateExplanation(id, "", q.Explanation))
        {
            yield return problem;
        }

        if (q.Reference is { Length: > 0 } reference
            && (!Uri.TryCreate(reference, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationProblem(id, $"the reference '{reference}' is not an absolute https URL");
        }

        foreach (var (language, translation) in q.Translations ?? new Dictionary<string, QuestionTranslationEntry>())
        {
            if (!QuestionTranslation.Languages.Contains(language))
            {
                yield return new ValidationProblem(id, $"a translation into '{language}', which the bot does not speak; use one of: {string.Join(", ", QuestionTranslation.Languages)}");
                continue;
            }

            var prefix = $"the {language} translation: ";
            var problems = ValidateQuestionText(id, prefix, translation.Question)
                .Concat(ValidateOptions(id, prefix, translation.Options))
                .Concat(ValidateExplanation(id, prefix, translation.Explanation));
            foreach (var problem in problems)
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<ValidationProblem> ValidateQuestionText(string? id, string prefix, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            yield return new ValidationProblem(id, prefix + "the question text is empty");
        }
        else if (text.Length > MaxQuestionLength)
        {
            yield return new ValidationProblem(id, prefix + $"the question has {text.Length} characters; at most {MaxQuestionLength}");
        }
    }

    private static IEnumerable<ValidationProblem> ValidateOptions(string? id, string prefix, IReadOnlyList<string>? given)
    {
        var options = given ?? [];
        if (options.Count != 4)
        {
            yield return new ValidationProblem(id, prefix + $"{options.Count} options; exactly 4 are needed");
        }

        for (var i = 0; i < options.Count; i++)
        {
            var option = options[i] ?? "";
            if (string.IsNullOrWhiteSpace(option))
            {
                yield return new ValidationProblem(id, prefix + $"option {Letter(i)} is empty");
            }
            else if (option.Length > MaxOptionLength)
            {
                yield return new ValidationProblem(id, prefix + $"option {Letter(i)} has {option.Length} characters; at most {MaxOptionLength}");
            }

            if (CatchAllOption().IsMatch(option))
            {
                yield return new ValidationProblem(id, prefix + $"option {Letter(i)} is a catch-all ('{option}'); every option must stand on its own");
            }
        }

        // Case and spacing do not make options different; punctuation does ("a | b" and "a, b" are different code).
        var distinct = options.Select(o => string.Join(' ', (o ?? "").ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Distinct(StringComparer.Ordinal).Count();
        if (options.Count == 4 && distinct != 4)
        {
            yield return new ValidationProblem(id, prefix + "two options say the same thing");
        }
    }

    private static IEnumerable<ValidationProblem> ValidateExplanation(string? id, string prefix, string? explanation)
    {
        if (string.IsNullOrWhiteSpace(explanation))
        {
            yield return new ValidationProblem(id, prefix + "the explanation is empty");
        }
        else if (explanation.Length > MaxExplanationLength)
        {
            yield return new ValidationProblem(id, prefix + $"the explanation has {explanation.Length} characters; at most {MaxExplanationLength}");
        }
    }

    /// <summary>Pairs that ask the same question: equal or nearly equal normalized texts (word-pair Jaccard similarity).</summary>
    public static IEnumerable<ValidationProblem> FindNearDuplicates(IReadOnlyList<QuestionFileEntry> questions, IReadOnlyList<QuestionFileEntry> existing)
    {
        var incoming = questions.Select(q => (q.Id, Shingles: Shingles(q.Question ?? ""))).ToList();
        var known = existing.Where(e => !questions.Any(q => q.Id == e.Id)).Select(q => (q.Id, Shingles: Shingles(q.Question ?? ""))).ToList();
        for (var i = 0; i < incoming.Count; i++)
        {
            for (var j = i + 1; j < incoming.Count; j++)
            {
                var similarity = Similarity(incoming[i].Shingles, incoming[j].Shingles);
                if (similarity >= NearDuplicateSimilarity)
                {
                    yield return new ValidationProblem(incoming[i].Id, string.Create(CultureInfo.InvariantCulture, $"asks the same as {incoming[j].Id} (similarity {similarity:F2})"));
                }
            }

            foreach (var other in known)
            {
                var similarity = Similarity(incoming[i].Shingles, other.Shingles);
                if (similarity >= NearDuplicateSimilarity)
                {
                    yield return new ValidationProblem(incoming[i].Id, string.Create(CultureInfo.InvariantCulture, $"asks the same as {other.Id}, already in the bank (similarity {similarity:F2})"));
                }
            }
        }
    }

    public static double Similarity(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return 1;
        }

        var common = a.Count(b.Contains);
        return (double)common / (a.Count + b.Count - common);
    }

    /// <summary>Lower case, punctuation removed, whitespace collapsed: how two texts are compared.</summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormKC).ToLowerInvariant())
        {
            builder.Append(char.IsLetterOrDigit(c) ? c : ' ');
        }

        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public static HashSet<string> Shingles(string text)
    {
        var words = Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var shingles = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < words.Length; i++)
        {
            shingles.Add(words[i] + " " + words[i + 1]);
        }

        if (words.Length == 1)
        {
            shingles.Add(words[0]);
        }

        return shingles;
    }

    private static bool SameMeaning(QuestionFileEntry a, QuestionFileEntry b) =>
        a.Topic == b.Topic && a.Level == b.Level && a.Question == b.Question && a.Correct == b.Correct
        && (a.Options ?? []).SequenceEqual(b.Options ?? [], StringComparer.Ordinal);

    private static char Letter(int index) => (char)('A' + index);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]+$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\b(all|none|both|neither) of the (above|others|options)\b|^both [a-d] and [a-d]\b", RegexOptions.IgnoreCase)]
    private static partial Regex CatchAllOption();
}
