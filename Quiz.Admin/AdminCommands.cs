using System.Text.Json;
using Quiz.Bank;

namespace Quiz.Admin;

/// <summary>
/// The operator commands. Each returns the process exit code: 0 success, 1 the input has problems (each printed
/// with the question it concerns), 2 bad usage.
/// </summary>
public sealed class AdminCommands
{
    private readonly TextWriter _out;
    private readonly TextWriter _error;

    public AdminCommands(TextWriter output, TextWriter error)
    {
        _out = output;
        _error = error;
    }

    public const string Usage = """
        Quiz operator commands (dotnet run --project Quiz.Admin -- COMMAND ...):
          validate FILE...                      check question files (the shipped bank: sql/questions/*.json)
          validate --bank FILE...               ... and the whole-bank rules (15 per topic and level, letter spread)
          validate --database CONNECTION        check the active bank in the database, with the whole-bank rules
          import FILE --database CONNECTION     validate FILE against itself and the bank, then upsert by id (all or nothing)
          retire ID --database CONNECTION       stop choosing a question; its history stays
          restore ID --database CONNECTION      make a retired or withdrawn question active again
        CONNECTION is an Npgsql connection string; QUIZ_DATABASE is used when --database is not given.
        """;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args.Length == 0)
        {
            return Fail(Usage);
        }

        var database = Option(args, "--database") ?? Environment.GetEnvironmentVariable("QUIZ_DATABASE");
        var positional = Positional(args);
        try
        {
            return args[0] switch
            {
                "validate" when args.Contains("--database") => await ValidateDatabaseAsync(Require(database), cancellationToken),
                "validate" when positional.Count > 0 => await ValidateFilesAsync(positional, args.Contains("--bank"), cancellationToken),
                "import" when positional.Count == 1 => await ImportAsync(positional[0], Require(database), cancellationToken),
                "retire" when positional.Count == 1 => await SetStatusAsync(positional[0], "retired", Require(database), cancellationToken),
                "restore" when positional.Count == 1 => await SetStatusAsync(positional[0], "active", Require(database), cancellationToken),
                _ => Fail(Usage),
            };
        }
        catch (UsageException exception)
        {
            return Fail(exception.Message);
        }
    }

    private async Task<int> ValidateFilesAsync(IReadOnlyList<string> files, bool asBank, CancellationToken cancellationToken)
    {
        var entries = new List<QuestionFileEntry>();
        foreach (var file in files)
        {
            var read = await ReadFileAsync(file, cancellationToken);
            if (read is null)
            {
                return 1;
            }

            entries.AddRange(read);
        }

        var problems = asBank ? QuestionValidator.ValidateBank(entries) : QuestionValidator.Validate(entries);
        return Report(entries, problems, asBank);
    }

    private async Task<int> ValidateDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        var bank = await new QuestionStore(database).ReadAllAsync(activeOnly: true, cancellationToken);
        return Report(bank, QuestionValidator.ValidateBank(bank), asBank: true);
    }

    private async Task<int> ImportAsync(string file, string database, CancellationToken cancellationToken)
    {
        var entries = await ReadFileAsync(file, cancellationToken);
        if (entries is null)
        {
            return 1;
        }

        var store = new QuestionStore(database);
        var bank = await store.ReadAllAsync(activeOnly: false, cancellationToken);
        var problems = QuestionValidator.Validate(entries, bank);
        if (problems.Count > 0)
        {
            Report(entries, problems, asBank: false);
            _error.WriteLine("Nothing was imported.");
            return 1;
        }

        var changed = await store.UpsertAsync(entries, "imported", cancellationToken);
        _out.WriteLine($"Imported {file}: {entries.Count} questions, {changed} inserted or changed. Running silos pick them up within their refresh interval (QuestionBank:RefreshInterval, 30 s).");
        return 0;
    }

    private async Task<int> SetStatusAsync(string id, string status, string database, CancellationToken cancellationToken)
    {
        if (!await new QuestionStore(database).SetStatusAsync(id, status, cancellationToken))
        {
            _error.WriteLine($"{id}: no such question; nothing was changed.");
            return 1;
        }

        _out.WriteLine($"{id} is now {status}.");
        return 0;
    }

    private async Task<IReadOnlyList<QuestionFileEntry>?> ReadFileAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            return await QuestionFile.ReadAsync(file, cancellationToken);
        }
        catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException)
        {
            _error.WriteLine($"{file}: cannot be read as a question file: {exception.Message}");
            return null;
        }
    }

    private int Report(IReadOnlyList<QuestionFileEntry> entries, IReadOnlyList<ValidationProblem> problems, bool asBank)
    {
        foreach (var problem in problems)
        {
            _error.WriteLine(problem);
        }

        if (asBank)
        {
            var spread = string.Join(", ", QuestionValidator.LetterSpread(entries).Select(s => $"{s.Letter} {s.Share:P1}"));
            _out.WriteLine($"{entries.Count} questions; correct letter: {spread}");
        }

        _out.WriteLine(problems.Count == 0 ? $"OK: {entries.Count} questions checked, no problems." : $"{problems.Count} problem(s) in {entries.Count} questions.");
        return problems.Count == 0 ? 0 : 1;
    }

    private int Fail(string message)
    {
        _error.WriteLine(message);
        return 2;
    }

    private static string Require(string? database) =>
        database ?? throw new UsageException("This command needs --database CONNECTION (or QUIZ_DATABASE).");

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static List<string> Positional(string[] args)
    {
        var values = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--database")
            {
                i++;
            }
            else if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                values.Add(args[i]);
            }
        }

        return values;
    }

    private sealed class UsageException(string message) : Exception(message);
}
