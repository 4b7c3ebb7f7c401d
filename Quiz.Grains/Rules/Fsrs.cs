using System.Collections.Immutable;

namespace Quiz.Rules;

/// <summary>How well a question was recalled, on FSRS's scale. The bot only knows right (<see cref="Good"/>) and wrong (<see cref="Again"/>).</summary>
public enum Grade
{
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

/// <summary>What FSRS knows of one memory: stability in days (the interval at which recall falls to 90%) and difficulty (1 to 10).</summary>
public readonly record struct MemoryState(double Stability, double Difficulty);

/// <summary>
/// The Free Spaced Repetition Scheduler, version 4.5, with its published default weights: J. Ye, "The Algorithm",
/// https://github.com/open-spaced-repetition/fsrs4anki/wiki/The-Algorithm#fsrs-45 (the model behind Anki's scheduler
/// since 23.10). No .NET package exists; this follows the formulas there, named as there, for whole-day reviews only
/// (FSRS-4.5 has no same-day steps).
/// </summary>
public static class Fsrs
{
    /// <summary>The forgetting curve's power: R(t, S) = (1 + FACTOR·t/S)^DECAY.</summary>
    public const double Decay = -0.5;

    /// <summary>Chosen so that R(S, S) = 0.9: 0.9^(1/DECAY) − 1 = 19/81.</summary>
    public const double Factor = 19.0 / 81.0;

    /// <summary>The recall probability at which a review is scheduled; FSRS's default.</summary>
    public const double RequestRetention = 0.9;

    /// <summary>FSRS-4.5's default parameters w0 … w16, fitted on the Anki review corpus.</summary>
    public static readonly ImmutableArray<double> W =
        [0.4872, 1.4003, 3.7145, 13.8206, 5.1618, 1.2298, 0.8975, 0.031, 1.6474, 0.1367, 1.0461, 2.1072, 0.0793, 0.3246, 1.587, 0.2272, 2.8755];

    /// <summary>R(t, S): the probability of recall <paramref name="elapsedDays"/> after the last review.</summary>
    public static double Retrievability(double elapsedDays, double stability) =>
        Math.Pow(1 + (Factor * Math.Max(0, elapsedDays) / stability), Decay);

    /// <summary>I(r, S) = S/FACTOR · (r^(1/DECAY) − 1): the days until recall falls to <paramref name="retention"/> (S itself at 0.9).</summary>
    public static double Interval(double stability, double retention = RequestRetention) =>
        stability / Factor * (Math.Pow(retention, 1 / Decay) - 1);

    /// <summary>After the first review: S0(G) = w[G−1], D0(G) = w4 − (G−3)·w5, clamped to [1, 10].</summary>
    public static MemoryState First(Grade grade) => new(W[(int)grade - 1], InitialDifficulty(grade));

    /// <summary>After a later review, <paramref name="elapsedDays"/> after the one before.</summary>
    public static MemoryState Next(MemoryState state, double elapsedDays, Grade grade)
    {
        var (s, d) = state;
        var r = Retrievability(elapsedDays, s);
        var stability = grade == Grade.Again ? StabilityAfterForgetting(d, s, r) : StabilityAfterRecall(d, s, r, grade);
        return new MemoryState(stability, NextDifficulty(d, grade));
    }

    /// <summary>D0(G) = w4 − (G−3)·w5.</summary>
    private static double InitialDifficulty(Grade grade) => Math.Clamp(W[4] - (((int)grade - 3) * W[5]), 1, 10);

    /// <summary>D′(D, G) = w7·D0(3) + (1 − w7)·(D − w6·(G−3)): a step by the grade, reverted towards the mean.</summary>
    private static double NextDifficulty(double d, Grade grade) =>
        Math.Clamp((W[7] * InitialDifficulty(Grade.Good)) + ((1 - W[7]) * (d - (W[6] * ((int)grade - 3)))), 1, 10);

    /// <summary>S′r(D, S, R, G) = S·(e^w8·(11 − D)·S^−w9·(e^(w10·(1−R)) − 1)·w15 (if Hard)·w16 (if Easy) + 1).</summary>
    private static double StabilityAfterRecall(double d, double s, double r, Grade grade)
    {
        var hardPenalty = grade == Grade.Hard ? W[15] : 1;
        var easyBonus = grade == Grade.Easy ? W[16] : 1;
        return s * ((Math.Exp(W[8]) * (11 - d) * Math.Pow(s, -W[9]) * (Math.Exp(W[10] * (1 - r)) - 1) * hardPenalty * easyBonus) + 1);
    }

    /// <summary>
    /// S′f(D, S, R) = w11·D^−w12·((S + 1)^w13 − 1)·e^(w14·(1−R)), never above S: a lapse does not strengthen a memory
    /// (the bound later FSRS versions state; for the default weights it binds only for very unstable memories).
    /// </summary>
    private static double StabilityAfterForgetting(double d, double s, double r) =>
        Math.Min(s, W[11] * Math.Pow(d, -W[12]) * (Math.Pow(s + 1, W[13]) - 1) * Math.Exp(W[14] * (1 - r)));
}
