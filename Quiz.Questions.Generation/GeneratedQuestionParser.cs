using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Quiz.Bank;

namespace Quiz.Generation;

/// <summary>
/// Turns the model's message into a <see cref="QuestionFileEntry"/> and judges it: unreadable or mistyped JSON is
/// <see cref="GenerationOutcomes.InvalidJson"/>; a readable question that breaks a rule of <see cref="QuestionValidator"/>
/// (three options, two correct, a catch-all option, a long text) or gives its answer away by length is
/// <see cref="GenerationOutcomes.InvalidQuestion"/>; one that asks what the bank already asks is <see cref="GenerationOutcomes.Duplicate"/>.
/// </summary>
internal static class GeneratedQuestionParser
{
    public const string IdPrefix = "gen-";

    /// <summary>The correct option is "given away" when it is this much longer than every other one.</summary>
    private const double GiveAwayLengthRatio = 1.6;
    private const int GiveAwayLengthMargin = 25;

    public static (QuestionFileEntry? Question, string Outcome, IReadOnlyList<string> Problems) Parse(
        string? content, string topic, Level level, IReadOnlyList<QuestionFileEntry> existingBank)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return (null, GenerationOutcomes.InvalidJson, ["the model's message is empty"]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException ex)
        {
            return (null, GenerationOutcomes.InvalidJson, [$"the model's message is not JSON: {ex.Message}"]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, GenerationOutcomes.InvalidJson, [$"the model's message is a JSON {root.ValueKind}, not an object"]);
            }

            var shape = new List<string>();
            var question = ReadString(root, "question", shape);
            var explanation = ReadString(root, "explanation", shape);
            var reference = root.TryGetProperty("reference", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            List<string>? options = null;
            if (!root.TryGetProperty("options", out var o) || o.ValueKind != JsonValueKind.Array)
            {
                shape.Add("'options' is missing or not an array");
            }
            else if (o.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                shape.Add("'options' holds something other than strings");
            }
            else
            {
                options = [.. o.EnumerateArray().Select(e => e.GetString()!)];
            }

            // Several correct answers are a wrong question, not unreadable JSON: say so in the validator's terms.
            var rules = new List<string>();
            int? correct = null;
            if (!root.TryGetProperty("correct", out var c) || c.ValueKind == JsonValueKind.Null)
            {
                shape.Add("'correct' is missing");
            }
            else if (c.ValueKind == JsonValueKind.Array)
            {
                rules.Add($"'correct' names {c.GetArrayLength()} options; exactly one option must be correct");
            }
            else if (c.ValueKind != JsonValueKind.Number)
            {
                shape.Add($"'correct' is a {c.ValueKind}, not an integer");
            }
            else if (c.TryGetInt32(out var index))
            {
                correct = index;
            }
            else
            {
                rules.Add($"'correct' is {c.GetRawText()}, not the index of one option");
            }

            if (shape.Count > 0)
            {
                return (null, GenerationOutcomes.InvalidJson, shape);
            }

            options = PlaceCorrectOption(options!, ref correct, existingBank);
            var entry = new QuestionFileEntry(
                NewId(topic, level, question!),
                topic,
                level.ToString(),
                question!.Trim(),
                [.. options.Select(x => x.Trim())],
                correct,
                explanation!.Trim(),
                string.IsNullOrWhiteSpace(reference) ? null : reference.Trim());

            var duplicates = QuestionValidator.FindNearDuplicates([entry], existingBank).Select(p => p.Message).ToList();
            rules.AddRange(QuestionValidator.Validate([entry], existingBank).Select(p => p.Message).Except(duplicates));
            if (rules.Count == 0 && GivesAnswerAwayByLength(entry) is { } giveAway)
            {
                rules.Add(giveAway);
            }

            if (rules.Count > 0)
            {
                return (null, GenerationOutcomes.InvalidQuestion, [.. rules, .. duplicates]);
            }

            return duplicates.Count > 0
                ? (null, GenerationOutcomes.Duplicate, duplicates)
                : (entry, GenerationOutcomes.Ok, []);
        }
    }

    /// <summary><c>gen-</c> and 12 lower-case hex digits of a hash of the question: the same question always gets the same id.</summary>
    public static string NewId(string topic, Level level, string question)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{topic}\n{level}\n{QuestionValidator.Normalize(question)}"));
        return IdPrefix + Convert.ToHexStringLower(hash)[..12];
    }

    /// <summary>
    /// Models favour some letters for the right answer; the bank must keep each letter near 25%. The correct option
    /// changes places with the option at the letter the bank uses least (the explanation names options by content, not letter).
    /// </summary>
    private static List<string> PlaceCorrectOption(List<string> options, ref int? correct, IReadOnlyList<QuestionFileEntry> existingBank)
    {
        if (options.Count != 4 || correct is not (>= 0 and <= 3))
        {
            return options;
        }

        var uses = new int[4];
        foreach (var q in existingBank)
        {
            if (q.Correct is { } i && i is >= 0 and <= 3)
            {
                uses[i]++;
            }
        }

        var target = Array.IndexOf(uses, uses.Min());
        var placed = options.ToList();
        (placed[target], placed[correct.Value]) = (placed[correct.Value], placed[target]);
        correct = target;
        return placed;
    }

    private static string? GivesAnswerAwayByLength(QuestionFileEntry q)
    {
        var correct = q.Options![q.Correct!.Value].Length;
        var longestOther = q.Options.Where((_, i) => i != q.Correct).Max(o => o.Length);
        return correct >= GiveAwayLengthRatio * longestOther && correct - longestOther >= GiveAwayLengthMargin
            ? string.Create(CultureInfo.InvariantCulture, $"the correct option has {correct} characters and the longest other {longestOther}: its length gives it away")
            : null;
    }

    private static string? ReadString(JsonElement root, string name, List<string> problems)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        problems.Add($"'{name}' is missing or not a string");
        return null;
    }
}
