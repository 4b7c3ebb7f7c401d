using System.ComponentModel.DataAnnotations;

namespace Quiz.Generation;

/// <summary>
/// Settings of question generation through an OpenAI-compatible chat completions API. Generation is optional:
/// without <see cref="ApiKey"/> it is off and the bank works from its files and imports alone.
/// </summary>
public sealed class GenerationOptions
{
    public const string SectionName = "OpenAI";

    /// <summary>The version of the prompts in <see cref="QuestionPrompt"/>, kept with every generated question.</summary>
    public const string PromptVersion = "v1";

    /// <summary>The API key, sent as <c>Authorization: Bearer</c>. A secret: never logged. Null or blank turns generation off.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Base URL of any OpenAI-compatible server, including its version segment (<c>https://host/v1</c>); null means OpenAI's.</summary>
    [Url]
    public string? Endpoint { get; set; }

    [Required]
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>Calls to the model per UTC day on this silo, every attempt counted, retries included.</summary>
    [Range(0, 100_000)]
    public int DailyBudget { get; set; } = 50;

    /// <summary>How long one call may take before it counts as a timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls per <see cref="QuestionGenerator.GenerateAsync"/> before it gives up.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(ApiKey);
}
