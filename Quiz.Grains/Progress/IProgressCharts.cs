namespace Quiz.Progress;

/// <summary>Draws a learner's progress chart (<c>/stats</c>): a PNG, or null when they have no answer to draw.</summary>
public interface IProgressCharts
{
    Task<byte[]?> RenderAsync(long learnerId, string? language, CancellationToken cancellationToken);
}
