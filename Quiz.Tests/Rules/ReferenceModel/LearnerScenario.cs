using CsCheck;

namespace Quiz.Tests.Rules.ReferenceModel;

/// <summary>What happens to a learner at one step of a scenario.</summary>
internal enum StepKind
{
    Tick,
    Answer,
    RedeliverUpdate,
    ForgedAnswer,
    Start,
    Stop,
    Block,
    SetSchedule,
    SendAccepted,
    SendFailed,
    SweepOutbox,
    Stats,

    /// <summary>The next delivery comes, is sent and is answered within the hour: what makes streaks (and freezes).</summary>
    DevotedDay,
}

/// <summary>
/// One step: the clock moves on by <paramref name="Advance"/>, then <paramref name="Kind"/> happens. The numbers pick
/// among what exists at that moment (which question to tap, which zone), so every generated step is meaningful and
/// shrinking keeps them meaningful.
/// </summary>
internal sealed record Step(TimeSpan Advance, StepKind Kind, int Pick, bool Correct, int ZoneIndex, TimeOnly Time)
{
    public override string ToString() => $"+{Advance:d\\.hh\\:mm} {Kind} pick={Pick} correct={Correct} zone={LearnerScenario.Zones[ZoneIndex % LearnerScenario.Zones.Length]} time={Time:HH\\:mm}";
}

/// <summary>A learner's life: where it starts, which levels have run out of questions, and its steps.</summary>
internal sealed record LearnerScenario(DateTimeOffset Start, int StartZoneIndex, TimeOnly StartTime, Level? ExhaustedLevel, Step[] Steps)
{
    /// <summary>
    /// Zones with daylight saving in either hemisphere, winter-time "daylight saving" (Dublin), half- and
    /// quarter-hour offsets, half-hour daylight saving (Lord Howe), changes at midnight (Santiago, Havana), and both
    /// ends of the offset range, followed by every other zone this machine knows.
    /// </summary>
    public static readonly string[] Zones =
    [
        "UTC", "Europe/Berlin", "Europe/Dublin", "America/New_York", "America/Los_Angeles", "America/Santiago",
        "America/Havana", "America/St_Johns", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tehran", "Australia/Adelaide",
        "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Tokyo",
        .. TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Order(StringComparer.Ordinal),
    ];

    private static readonly Gen<TimeSpan> Advance = Gen.Frequency<TimeSpan>(
        (4, Gen.Int[1, 180].Select(m => TimeSpan.FromMinutes(m))),
        (4, Gen.Int[3, 30].Select(h => TimeSpan.FromHours(h))),
        (4, Gen.Int[22 * 60, 26 * 60].Select(m => TimeSpan.FromMinutes(m))),
        (1, Gen.Int[1, 10].Select(d => TimeSpan.FromDays(d) + TimeSpan.FromMinutes(d * 7))));

    private static readonly Gen<TimeOnly> Time = Gen.Frequency<TimeOnly>(
        (3, Gen.Int[0, 23].Select(h => new TimeOnly(h, 0))),
        (1, Gen.Int[0, 24 * 60 - 1].Select(m => TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(m)))));

    private static readonly Gen<int> Zone = Gen.Frequency<int>(
        (3, Gen.Int[0, 16]),
        (1, Gen.Int[0, Zones.Length - 1]));

    private static readonly Gen<StepKind> Kind = Gen.Frequency<StepKind>(
        (12, StepKind.Tick),
        (12, StepKind.Answer),
        (2, StepKind.RedeliverUpdate),
        (1, StepKind.ForgedAnswer),
        (4, StepKind.Start),
        (1, StepKind.Stop),
        (1, StepKind.Block),
        (2, StepKind.SetSchedule),
        (10, StepKind.SendAccepted),
        (1, StepKind.SendFailed),
        (2, StepKind.SweepOutbox),
        (2, StepKind.Stats),
        (8, StepKind.DevotedDay));

    /// <summary>Most taps come within hours of the question; some a day or more later.</summary>
    private static readonly Gen<TimeSpan> AnswerDelay = Gen.Frequency<TimeSpan>(
        (4, Gen.Int[1, 240].Select(m => TimeSpan.FromMinutes(m))),
        (1, Advance));

    private static readonly Gen<Step> StepGen =
        from kind in Kind
        from advance in kind == StepKind.Answer ? AnswerDelay : Advance
        from pick in Gen.Int[0, 9]
        from correct in Gen.Frequency<bool>((4, true), (1, false))
        from zone in Zone
        from time in Time
        select new Step(advance, kind, pick, correct, zone, time);

    public static readonly Gen<LearnerScenario> Generator = Gen.Select(
        Gen.Int[0, 364 * 24].Select(h => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(h).AddMinutes(17)),
        Zone,
        Time,
        Gen.Int[0, 19].Select(l => l < 4 ? (Level?)(Level)l : null),
        StepGen.Array[1, 80],
        (start, zone, time, exhausted, steps) => new LearnerScenario(start, zone, time, exhausted, steps));

    public override string ToString() =>
        $"start {Start:u} in {Zones[StartZoneIndex]} at {StartTime:HH\\:mm}, no questions at {ExhaustedLevel?.ToString() ?? "no level"}, " +
        $"{Steps.Length} steps:\n  {string.Join("\n  ", Steps.Select(s => s.ToString()))}";
}
