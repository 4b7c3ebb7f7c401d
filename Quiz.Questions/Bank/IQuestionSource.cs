namespace Quiz.Bank;

/// <summary>Where the bank's active questions come from: the database, or the shipped files in embedded mode.</summary>
public interface IQuestionSource
{
    Task<IReadOnlyList<Question>> LoadActiveAsync(CancellationToken cancellationToken);
}
