using System.Diagnostics;
using Npgsql;
using Quiz.Conversation;
using Quiz.Progress;
using Quiz.Silo.Charts;
using Quiz.Silo.Postgres;
using Quiz.Testing;

namespace Quiz.Benchmarks;

/// <summary>
/// The <c>/stats</c> chart as the silo draws it when it sends it: <see cref="PostgresAnswerHistory"/> reads a year of
/// the learner's answers from the partitioned answer log and <see cref="ProgressChart"/> draws the PNG. Shortcut: the
/// year of answers is inserted with SQL (365 a learner, the columns the state write fills) rather than answered day
/// by day through grains, and the Bot API call that uploads the image is not timed.
/// </summary>
public static class ChartRendering
{
    public static async Task RunAsync(int learners, int renders)
    {
        var server = await SharedPostgres.GetAsync();
        var connectionString = await server.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var ids = Enumerable.Range(0, learners).Select(_ => LearnerIds.Next()).ToList();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await InsertYearOfAnswersAsync(dataSource, ids, today);
        var history = new PostgresAnswerHistory(dataSource);
        var charts = new ProgressCharts(history, TimeProvider.System);

        var cold = Stopwatch.StartNew();
        var first = await charts.RenderAsync(ids[0], "en", CancellationToken.None);
        Console.WriteLine($"chart: first render after start {cold.Elapsed.TotalMilliseconds:F0} ms (fonts and Skia load once per silo), {first!.Length:N0} bytes");

        var languages = new[] { "en", "ru", "es" };
        var query = new List<double>();
        var draw = new List<double>();
        var bytes = 0L;
        for (var i = 0; i < renders; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var answers = await history.ReadAsync(ids[i % ids.Count], today.AddYears(-1), CancellationToken.None);
            var read = Stopwatch.GetTimestamp();
            var png = ProgressChart.Render(answers, BotTexts.For(languages[i % languages.Length]));
            var drawn = Stopwatch.GetTimestamp();
            query.Add(Stopwatch.GetElapsedTime(started, read).TotalMilliseconds);
            draw.Add(Stopwatch.GetElapsedTime(read, drawn).TotalMilliseconds);
            bytes += png.Length;
            if (answers.Count != 365)
            {
                throw new InvalidOperationException($"learner {ids[i % ids.Count]} read {answers.Count} answers, not 365");
            }
        }

        var total = query.Zip(draw, (q, d) => q + d).ToList();
        Console.WriteLine($"chart: {renders} renders of 365 answers each, {learners} learners, en/ru/es in turn, {bytes / renders:N0} bytes a PNG");
        Report("answer log read", query);
        Report("drawing", draw);
        Report("read + draw", total);
        Console.WriteLine($"chart: read + draw p99 {Percentile(total, 0.99):F1} ms of the 200 ms aim; drawing is {Percentile(draw, 0.5) / Percentile(query, 0.5):F1}x the read at p50");
    }

    private static async Task InsertYearOfAnswersAsync(NpgsqlDataSource dataSource, IReadOnlyList<long> ids, DateOnly today)
    {
        await using var command = dataSource.CreateCommand("""
            with bank as (select array_agg(id order by id) as ids, array_agg(level order by id) as levels from questions where status = 'active')
            insert into answers (learner_id, question_id, question_day, choice, is_correct, is_late, level, answered_at, is_review)
            select l, bank.ids[pick], d::date, 0, random() < 0.7, false, bank.levels[pick], d + interval '10 hours', random() < 0.2
            from bank, unnest($1::bigint[]) l
            cross join generate_series($2::date - 364, $2::date, interval '1 day') d
            cross join lateral (select 1 + abs(hashtext(l::text || d::text)) % cardinality(bank.ids) as pick) p
            """);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. ids] });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = today });
        await command.ExecuteNonQueryAsync();
        await using var analyze = dataSource.CreateCommand("analyze answers");
        await analyze.ExecuteNonQueryAsync();
    }

    private static void Report(string what, List<double> milliseconds) =>
        Console.WriteLine($"chart: {what}: p50 {Percentile(milliseconds, 0.5):F1} ms, p95 {Percentile(milliseconds, 0.95):F1} ms, p99 {Percentile(milliseconds, 0.99):F1} ms, max {milliseconds.Max():F1} ms");

    private static double Percentile(List<double> values, double quantile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
    }
}
