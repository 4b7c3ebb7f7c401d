namespace Quiz.Bank;

/// <summary>Where the bank's active questions come from: the database, or the shipped files in embedded mode.</summary>
public interface IQuestionSource
{
    Task<IReadOnlyList<Question>> LoadActiveAsync(CancellationToken cancellationToken);

    /// <summary>One question by id whatever its status (a retired question can still be open for a learner), or null.</summary>
    Task<Question?> FindAsync(string id, CancellationToken cancellationToken);
}
