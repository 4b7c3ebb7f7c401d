using System.Globalization;
using Quiz.Conversation;
using Quiz.Progress;
using ScottPlot;

namespace Quiz.Silo.Charts;

/// <summary>
/// The <c>/stats</c> chart, drawn with ScottPlot: accuracy per week, the level over time (new questions only: reviews
/// do not move it) and accuracy per topic, labelled in the learner's language.
/// </summary>
public static class ProgressChart
{
    public const int Width = 900;
    public const int Height = 1000;

    public static byte[] Render(IReadOnlyList<AnswerPoint> answers, BotTexts texts)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: 3, columns: 1);
        AccuracyPerWeek(multiplot.GetPlot(0), answers, texts);
        LevelOverTime(multiplot.GetPlot(1), answers, texts);
        AccuracyPerTopic(multiplot.GetPlot(2), answers, texts);
        foreach (var plot in multiplot.GetPlots())
        {
            // Picks a font with the glyphs each label needs (Cyrillic in Russian).
            plot.Font.Automatic();
        }

        return multiplot.Render(Width, Height).GetImageBytes(ImageFormat.Png);
    }

    private static void AccuracyPerWeek(Plot plot, IReadOnlyList<AnswerPoint> answers, BotTexts texts)
    {
        var weeks = answers.GroupBy(a => WeekOf(a.Day)).OrderBy(w => w.Key).ToList();
        var positions = weeks.Select(w => (double)w.Key.DayNumber).ToArray();
        var accuracy = weeks.Select(w => 100.0 * w.Count(a => a.IsCorrect) / w.Count()).ToArray();
        plot.Title(texts.ChartLabel("accuracy-per-week"));
        if (weeks.Count > 0)
        {
            var bars = plot.Add.Bars(positions, accuracy);
            foreach (var bar in bars.Bars)
            {
                bar.Size = 5;
            }

            var ticks = weeks.Select((w, i) => (w, i)).Where(x => x.i % Math.Max(1, weeks.Count / 8) == 0).ToList();
            plot.Axes.Bottom.SetTicks([.. ticks.Select(t => (double)t.w.Key.DayNumber)], [.. ticks.Select(t => t.w.Key.ToString("d MMM", texts.Language.Culture))]);
        }

        plot.Axes.Left.Label.Text = texts.ChartLabel("accuracy");
        plot.Axes.Bottom.Label.Text = texts.ChartLabel("week");
        plot.Axes.SetLimitsY(0, 105);
    }

    private static void LevelOverTime(Plot plot, IReadOnlyList<AnswerPoint> answers, BotTexts texts)
    {
        var asked = answers.Where(a => !a.IsReview).ToList();
        plot.Title(texts.ChartLabel("level-over-time"));
        if (asked.Count > 0)
        {
            var line = plot.Add.Scatter(asked.Select(a => (double)a.Day.DayNumber).ToArray(), asked.Select(a => (double)a.Level).ToArray());
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerSize = 6;
            line.LineWidth = 3;
            var first = asked[0].Day;
            var last = asked[^1].Day;
            plot.Axes.Bottom.SetTicks(
                [first.DayNumber, last.DayNumber],
                [first.ToString("d MMM yyyy", texts.Language.Culture), last.ToString("d MMM yyyy", texts.Language.Culture)]);
        }

        var levels = Enum.GetValues<Level>();
        plot.Axes.Left.SetTicks([.. levels.Select(l => (double)l)], [.. levels.Select(texts.LevelName)]);
        plot.Axes.SetLimitsY(-0.3, levels.Length - 0.7);
    }

    private static void AccuracyPerTopic(Plot plot, IReadOnlyList<AnswerPoint> answers, BotTexts texts)
    {
        var topics = answers.Where(a => a.Topic.Length > 0).GroupBy(a => a.Topic).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        plot.Title(texts.ChartLabel("by-topic"));
        if (topics.Count > 0)
        {
            var positions = topics.Select((_, i) => (double)i).ToArray();
            var bars = plot.Add.Bars(positions, [.. topics.Select(t => 100.0 * t.Count(a => a.IsCorrect) / t.Count())]);
            bars.Horizontal = true;
            plot.Axes.Left.SetTicks(positions, [.. topics.Select(t => $"{texts.Topic(t.Key)} ({t.Count().ToString(CultureInfo.InvariantCulture)})")]);
        }

        plot.Axes.Bottom.Label.Text = texts.ChartLabel("accuracy");
        plot.Axes.SetLimitsX(0, 105);
    }

    /// <summary>The Monday that starts <paramref name="day"/>'s week.</summary>
    private static DateOnly WeekOf(DateOnly day) => Quiz.Rules.Weeks.MondayOf(day);
}
