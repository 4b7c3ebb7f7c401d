using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Quiz;

/// <summary>The <c>callback_data</c> of a question's "report" button: <c>r:{yyyyMMdd}:{questionId}</c>, at most 64 bytes.</summary>
public static class ReportCallback
{
    private const string Prefix = "r:";

    public static string Format(string questionId, DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{day:yyyyMMdd}:{questionId}");

    public static bool TryParse(string? data, [NotNullWhen(true)] out string? questionId, out DateOnly day)
    {
        questionId = null;
        day = default;
        if (data is null || data.Length > AnswerCallback.MaxBytes || !data.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = data[Prefix.Length..].Split(':', 2);
        if (parts.Length != 2 || parts[1].Length == 0
            || !DateOnly.TryParseExact(parts[0], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return false;
        }

        questionId = parts[1];
        return true;
    }
}
