namespace Quiz.Bank;

/// <summary>The shipped bank files, for the embedded mode that runs without a database.</summary>
public sealed class FileQuestionSource : IQuestionSource
{
    private readonly string _directory;

    public FileQuestionSource(string directory)
    {
        _directory = directory;
    }

    public async Task<IReadOnlyList<Question>> LoadActiveAsync(CancellationToken cancellationToken) =>
        QuestionFile.ToActiveQuestions(await ReadAllAsync(cancellationToken));

    public async Task<Question?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await ReadAllAsync(cancellationToken)).FirstOrDefault(e => e.Id == id)?.ToQuestion();

    private async Task<IReadOnlyList<QuestionFileEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var entries = new List<QuestionFileEntry>();
        foreach (var file in QuestionFile.BankFiles(_directory))
        {
            entries.AddRange(await QuestionFile.ReadAsync(file, cancellationToken));
        }

        return entries;
    }
}
