namespace Quiz.Bank;

/// <summary>Adds questions to the shared bank, so that one learner's generated question serves everyone after.</summary>
public interface IQuestionWriter
{
    Task AddGeneratedAsync(QuestionFileEntry question, string model, string promptVersion, CancellationToken cancellationToken);
}
