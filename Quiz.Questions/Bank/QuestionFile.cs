using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quiz.Bank;

/// <summary>One question as written in a bank file (<c>sql/questions/*.json</c>) or an operator's import file.</summary>
public sealed record QuestionFileEntry(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("topic")] string? Topic,
    [property: JsonPropertyName("level")] string? Level,
    [property: JsonPropertyName("question")] string? Question,
    [property: JsonPropertyName("options")] IReadOnlyList<string>? Options,
    [property: JsonPropertyName("correct")] int? Correct,
    [property: JsonPropertyName("explanation")] string? Explanation,
    [property: JsonPropertyName("reference")] string? Reference,
    [property: JsonPropertyName("retired")] bool? Retired = null,
    [property: JsonPropertyName("translations")] IReadOnlyDictionary<string, QuestionTranslationEntry>? Translations = null)
{
    /// <summary>
    /// A question the project retired: it stays in its file, so that a learner holding it open still reads its
    /// wording, but it is never chosen again and a bank's rules (counts, duplicates, letters) leave it out.
    /// </summary>
    [JsonIgnore]
    public bool IsRetired => Retired == true;

    public Question ToQuestion() => new(
        Id ?? "",
        Topic ?? "",
        Enum.TryParse<Level>(Level, ignoreCase: false, out var level) ? level : Quiz.Level.Beginner,
        Question ?? "",
        Options is null ? [] : [.. Options],
        Correct ?? -1,
        Explanation ?? "",
        Reference,
        Translations is { Count: > 0 } translations
            ? translations.ToImmutableDictionary(t => t.Key, t => t.Value.ToTranslation(), StringComparer.Ordinal)
            : null);
}

/// <summary>A question's wording in another language, as written in a bank file under <c>translations</c>.</summary>
public sealed record QuestionTranslationEntry(
    [property: JsonPropertyName("question")] string? Question,
    [property: JsonPropertyName("options")] IReadOnlyList<string>? Options,
    [property: JsonPropertyName("explanation")] string? Explanation)
{
    public QuestionTranslation ToTranslation() => new(Question ?? "", Options is null ? [] : [.. Options], Explanation ?? "");
}

/// <summary>Reads question files: a JSON array of <see cref="QuestionFileEntry"/>.</summary>
public static class QuestionFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static IReadOnlyList<QuestionFileEntry> Parse(string json) =>
        JsonSerializer.Deserialize<List<QuestionFileEntry>>(json, Options)
        ?? throw new JsonException("The file holds JSON null, not an array of questions.");

    public static async Task<IReadOnlyList<QuestionFileEntry>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<List<QuestionFileEntry>>(stream, Options, cancellationToken)
            ?? throw new JsonException($"{path} holds JSON null, not an array of questions.");
    }

    /// <summary>The bank files in a folder, in a stable order.</summary>
    public static IReadOnlyList<string> BankFiles(string directory) =>
        [.. Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal)];

    public static ImmutableArray<Question> ToQuestions(IEnumerable<QuestionFileEntry> entries) =>
        [.. entries.Select(e => e.ToQuestion())];

    /// <summary>The questions that may be chosen: every entry not retired.</summary>
    public static ImmutableArray<Question> ToActiveQuestions(IEnumerable<QuestionFileEntry> entries) =>
        ToQuestions(entries.Where(e => !e.IsRetired));
}
