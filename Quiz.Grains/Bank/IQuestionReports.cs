namespace Quiz.Bank;

/// <summary>Where learners' reports of questions go; enough reports withdraw a question until an operator reviews it.</summary>
public interface IQuestionReports
{
    /// <summary>Records a report; returns how many different learners have reported the question.</summary>
    Task<int> ReportAsync(long learnerId, string questionId, string? note, DateTimeOffset at, CancellationToken cancellationToken);
}
