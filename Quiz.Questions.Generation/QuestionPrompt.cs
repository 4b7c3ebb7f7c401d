using System.Text;
using Quiz.Bank;

namespace Quiz.Generation;

/// <summary>
/// Prompt version <see cref="GenerationOptions.PromptVersion"/>: what a good question is, and the strict JSON schema the
/// answer must follow. Changing the wording or the schema means a new prompt version.
/// </summary>
public static class QuestionPrompt
{
    public const string SchemaName = "quiz_question";

    /// <summary>At most this many questions of the same topic and level are listed for the model to avoid.</summary>
    public const int MaxQuestionsToAvoid = 60;

    public static string System { get; } = $"""
        You write multiple-choice questions for a daily Data Engineering quiz that learners answer on their phones.
        Each question has exactly four options and exactly one correct answer.

        What each level means:
        - Beginner: vocabulary and basic ideas. What a term means, what a technique or tool is for.
        - Intermediate: applying those ideas to a concrete situation. Given a short scenario, which choice fits.
        - Advanced: trade-offs and failure modes. What breaks, what it costs, when one approach beats another.
        - Expert: corner cases met in production. Subtle behaviour under failure, retries, scale, concurrency, skewed or late data.

        What a good question is:
        - It tests one idea of the requested topic at the requested level, and reads clearly without the options.
        - Exactly one option is defensibly correct: an expert must agree that each of the other three is wrong in the situation described. No trick wording, no "it depends", no answer that hinges on one vendor's default unless the question names the vendor.
        - The three wrong options are plausible to someone who half knows the topic; one of them is the tempting mistake.
        - Never "all of the above", "none of the above", "both A and B", or any option that refers to other options.
        - The correct option is not given away by its length, its detail or its wording: write the four options in the same style and about the same length.
        - The explanation says why the correct option is right and why the most tempting wrong option is wrong. Name options by their content, never by letter or position: the options are reordered after you answer.
        - Limits: the question at most {QuestionValidator.MaxQuestionLength} characters, each option at most {QuestionValidator.MaxOptionLength}, the explanation at most {QuestionValidator.MaxExplanationLength}. Plain text: no Markdown, no code blocks, no HTML.
        - reference: an https URL of official documentation or a well-known primary source that backs the answer, or an empty string when you are not sure of one. Never invent a URL.

        Answer with the JSON object of the schema and nothing else.
        """;

    /// <summary>The request for one question of <paramref name="topic"/> at <paramref name="level"/>, listing the bank's questions there so the model avoids them.</summary>
    public static string User(string topic, Level level, IReadOnlyList<QuestionFileEntry> existingBank)
    {
        var builder = new StringBuilder()
            .Append("Topic: ").AppendLine(topic)
            .Append("Level: ").Append(level.ToString()).Append(" (").Append(LevelMeaning(level)).AppendLine(")")
            .AppendLine()
            .AppendLine("Write one new question for this topic and level.");

        var levelName = level.ToString();
        var known = existingBank
            .Where(q => q.Topic == topic && q.Level == levelName && !string.IsNullOrWhiteSpace(q.Question))
            .Take(MaxQuestionsToAvoid)
            .ToList();
        if (known.Count > 0)
        {
            builder.AppendLine("It must not ask the same thing as any of these questions, already in the bank:");
            foreach (var question in known)
            {
                var text = question.Question!.ReplaceLineEndings(" ");
                builder.Append("- ").AppendLine(text.Length <= QuestionValidator.MaxQuestionLength ? text : text[..QuestionValidator.MaxQuestionLength]);
            }
        }

        return builder.ToString();
    }

    public static string LevelMeaning(Level level) => level switch
    {
        Level.Beginner => "vocabulary and basic ideas",
        Level.Intermediate => "applying the basic ideas to a concrete situation",
        Level.Advanced => "trade-offs and failure modes",
        Level.Expert => "corner cases met in production",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>
    /// The structured-output schema, in the subset that strict mode accepts: every property required, no additional ones,
    /// lengths stated in descriptions (strict mode has no maxLength), the single correct index as an enum.
    /// </summary>
    public static BinaryData JsonSchema { get; } = BinaryData.FromString($$"""
        {
          "type": "object",
          "properties": {
            "question": {
              "type": "string",
              "description": "The question, at most {{QuestionValidator.MaxQuestionLength}} characters."
            },
            "options": {
              "type": "array",
              "description": "Exactly four distinct answer options, each at most {{QuestionValidator.MaxOptionLength}} characters, exactly one of them correct.",
              "items": { "type": "string" },
              "minItems": 4,
              "maxItems": 4
            },
            "correct": {
              "type": "integer",
              "description": "Zero-based index of the single correct option.",
              "enum": [0, 1, 2, 3]
            },
            "explanation": {
              "type": "string",
              "description": "Why the correct option is right and the most tempting wrong option is wrong, at most {{QuestionValidator.MaxExplanationLength}} characters."
            },
            "reference": {
              "type": "string",
              "description": "An https URL backing the answer, or an empty string."
            }
          },
          "required": ["question", "options", "correct", "explanation", "reference"],
          "additionalProperties": false
        }
        """);
}
