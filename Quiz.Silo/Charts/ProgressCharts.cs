using Quiz.Conversation;
using Quiz.Progress;

namespace Quiz.Silo.Charts;

/// <summary>The chart of a learner's last year of answers, drawn on the silo that sends it.</summary>
public sealed class ProgressCharts : IProgressCharts
{
    private readonly IAnswerHistory _history;
    private readonly TimeProvider _time;

    public ProgressCharts(IAnswerHistory history, TimeProvider time)
    {
        _history = history;
        _time = time;
    }

    public async Task<byte[]?> RenderAsync(long learnerId, string? language, CancellationToken cancellationToken)
    {
        var since = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime).AddYears(-1);
        var answers = await _history.ReadAsync(learnerId, since, cancellationToken);
        return answers.Count == 0 ? null : ProgressChart.Render(answers, BotTexts.For(language));
    }
}
