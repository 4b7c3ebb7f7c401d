using System.Globalization;
using ScottPlot;

namespace Quiz.Benchmarks;

/// <summary>The scale run's figures at each step as one image of four charts, so that how each cost grows is visible.</summary>
public static class ScaleChart
{
    public static void Save(IReadOnlyList<ScalePoint> points, string path)
    {
        var positions = points.Select((_, i) => (double)i).ToArray();
        var labels = points.Select(p => Label(p.Learners)).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(4);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: 2, columns: 2);

        Chart(multiplot.GetPlot(0), "Registration (learners/s)", positions, labels,
            ("through SubscribeAsync", points.Select(p => p.RegistrationRate)));
        Chart(multiplot.GetPlot(1), "PostgreSQL bytes per learner", positions, labels,
            ("all four tables", points.Select(p => p.Bytes.Total)),
            ("learner state", points.Select(p => p.Bytes.State)),
            ("reminder", points.Select(p => p.Bytes.Reminder)));
        Chart(multiplot.GetPlot(2), "Silo memory (bytes)", positions, labels,
            ("per resident activation", points.Select(p => p.HeapPerActivation)),
            ("per idle learner, two silos", points.Select(p => p.MemoryPerIdleLearner)));
        Chart(multiplot.GetPlot(3), "Reminder read at a silo's start (s of PostgreSQL)", positions, labels,
            ("statement time", points.Select(p => p.Idle.ReminderMilliseconds / 1000)),
            ("PostgreSQL CPU over the start", points.Select(p => p.Idle.PostgresCpuSeconds)));

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        multiplot.SavePng(path, 1200, 800);
    }

    private static void Chart(Plot plot, string title, double[] positions, string[] labels, params (string Name, IEnumerable<double> Values)[] series)
    {
        plot.Title(title);
        foreach (var (name, values) in series)
        {
            var scatter = plot.Add.Scatter(positions, values.ToArray());
            scatter.LegendText = name;
        }

        plot.Axes.Bottom.SetTicks(positions, labels);
        plot.Axes.Bottom.Label.Text = "learners";
        plot.Axes.Margins(0.1, 0.15);
        plot.ShowLegend(Alignment.UpperLeft);
    }

    private static string Label(int learners) => learners switch
    {
        >= 1_000_000 when learners % 1_000_000 == 0 => string.Create(CultureInfo.InvariantCulture, $"{learners / 1_000_000} M"),
        >= 1_000 when learners % 1_000 == 0 => string.Create(CultureInfo.InvariantCulture, $"{learners / 1_000} k"),
        _ => learners.ToString("N0", CultureInfo.InvariantCulture),
    };
}
