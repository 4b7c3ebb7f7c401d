namespace Quiz.Bank;

/// <summary>The shipped bank files, for the embedded mode that runs without a database.</summary>
public sealed class FileQuestionSource : IQuestionSource
{
    private readonly string _directory;

    public FileQuestionSource(string directory)
    {
        _directory = directory;
    }

    public async Task<IReadOnlyList<Question>> LoadActiveAsync(CancellationToken cancellationToken)
    {
        var questions = new List<Question>();
        foreach (var file in QuestionFile.BankFiles(_directory))
        {
            var entries = await QuestionFile.ReadAsync(file, cancellationToken);
            questions.AddRange(QuestionFile.ToQuestions(entries));
        }

        return questions;
    }

    public async Task<Question?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await LoadActiveAsync(cancellationToken)).FirstOrDefault(q => q.Id == id);
}
