using System.Diagnostics.CodeAnalysis;

namespace Quiz;

/// <summary>What a settings button asks for.</summary>
[GenerateSerializer]
[Alias("quiz.setting-kind")]
public enum SettingKind
{
    /// <summary><c>l:{code}</c>: speak this language.</summary>
    Language,

    /// <summary><c>t:{topic index}</c>: switch this topic on or off (<see cref="Topics.All"/>).</summary>
    Topic,

    /// <summary><c>/nudge on|off</c>: the evening reminder (typed only, no button).</summary>
    Nudge,

    /// <summary><c>/top on|off</c>: whether the learner appears in the tops (typed only).</summary>
    Top,

    /// <summary><c>/league</c> joins (or shows the table), <c>/league off</c> leaves (typed only).</summary>
    League,
}

/// <summary>The <c>callback_data</c> of the <c>/lang</c> and <c>/topics</c> keyboards, at most 64 bytes.</summary>
public static class SettingsCallback
{
    public static string Language(string code) => "l:" + code;

    public static string Topic(int index) => "t:" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryParse(string? data, out SettingKind kind, [NotNullWhen(true)] out string? value)
    {
        kind = default;
        value = null;
        if (data is not { Length: > 2 and <= AnswerCallback.MaxBytes } || data[1] != ':')
        {
            return false;
        }

        (kind, var known) = data[0] switch
        {
            'l' => (SettingKind.Language, true),
            't' => (SettingKind.Topic, int.TryParse(data.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < Topics.All.Count),
            _ => (default, false),
        };
        value = known ? data[2..] : null;
        return known;
    }
}
