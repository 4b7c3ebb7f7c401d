namespace Quiz.Rules;

/// <summary>
/// The <c>/nudge</c> reminder: once a day at 19:00 on the learner's clock when the day's question waits unanswered in
/// their chat, and never in the quiet hours (22:00 to 08:00), however late its tick comes.
/// </summary>
public static class EveningNudge
{
    public static readonly TimeOnly At = new(19, 0);
    public static readonly TimeOnly QuietFrom = new(22, 0);
    public static readonly TimeOnly QuietUntil = new(8, 0);

    public static bool IsQuiet(TimeOnly local) => local >= QuietFrom || local < QuietUntil;

    /// <summary>Whether a nudge may go out at <paramref name="local"/> on the learner's clock: from 19:00 until the quiet hours.</summary>
    public static bool IsWithinWindow(TimeOnly local) => local >= At && !IsQuiet(local);
}
