using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Quiz;

/// <summary>
/// The <c>callback_data</c> of an answer button: <c>a:{yyyyMMdd}:{choice}:{questionId}</c>, at most 64 bytes.
/// It names the question and its day but not the learner: a tap is routed by the Telegram user who tapped,
/// so a copied or forged button can only ever answer the tapper's own open question.
/// </summary>
public static class AnswerCallback
{
    public const int MaxBytes = 64;
    private const string Prefix = "a:";

    public static string Format(string questionId, DateOnly day, int choice) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{day:yyyyMMdd}:{choice}:{questionId}");

    public static bool TryParse(string? data, [NotNullWhen(true)] out string? questionId, out DateOnly day, out int choice)
    {
        questionId = null;
        day = default;
        choice = -1;
        if (data is null || data.Length > MaxBytes || !data.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = data[Prefix.Length..].Split(':', 3);
        if (parts.Length != 3
            || !DateOnly.TryParseExact(parts[0], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
            || parts[1].Length != 1 || parts[1][0] is < '0' or > '3'
            || parts[2].Length == 0)
        {
            return false;
        }

        choice = parts[1][0] - '0';
        questionId = parts[2];
        return true;
    }
}
