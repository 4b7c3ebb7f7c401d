using Quiz.Conversation;
using Quiz.Progress;

namespace Quiz.Silo.Charts;

/// <summary>
/// Draws one throwaway chart when the silo starts: Skia and the fonts load on a process's first chart (about half a
/// second, docs/performance.md), which would otherwise be the first learner's <c>/stats</c> to wait for.
/// </summary>
public sealed partial class ChartWarmUp : BackgroundService
{
    private readonly ILogger<ChartWarmUp> _logger;

    public ChartWarmUp(ILogger<ChartWarmUp> logger)
    {
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(
        () =>
        {
            try
            {
                ProgressChart.Render([new AnswerPoint(new DateOnly(2026, 1, 5), true, false, Level.Beginner, Topics.Streaming)], BotTexts.For(Language.Russian));
            }
            catch (Exception exception)
            {
                // The chart's own send reports a real failure; a warm-up that fails only costs the first chart its speed.
                LogWarmUpFailed(exception);
            }
        },
        stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The progress chart could not be drawn at start-up; the first /stats chart will draw it")]
    private partial void LogWarmUpFailed(Exception exception);
}
