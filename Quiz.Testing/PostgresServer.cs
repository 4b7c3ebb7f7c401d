using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Quiz.Testing;

/// <summary>
/// A throwaway PostgreSQL for the test run: started from the installed server binaries on a free loopback port
/// (as the <c>postgres</c> user when the tests run as root), with <c>sql/apply.sh</c> applied, and removed afterwards.
/// When <c>QUIZ_TEST_POSTGRES</c> holds a connection string, a fresh database on that server is used instead.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ConnectionVariable = "QUIZ_TEST_POSTGRES";

    private readonly string? _dataDirectory;
    private readonly string? _binDirectory;
    private readonly string? _serverOptions;

    private PostgresServer(string connectionString, string? dataDirectory, string? binDirectory, string? serverOptions = null)
    {
        ConnectionString = connectionString;
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        _serverOptions = serverOptions;
    }

    /// <summary>Connection string of the database that holds the applied schema.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            var database = $"quiz_test_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
            await ExecuteAsync(given, $"create database {database}");
            var connection = new NpgsqlConnectionStringBuilder(given) { Database = database }.ConnectionString;
            await ApplySchemaAsync(connection);
            return new PostgresServer(connection, null, null);
        }

        var bin = FindServerBinaries() ?? throw new InvalidOperationException(
            "Cannot start PostgreSQL for the tests: no server binaries found (looked for initdb in /usr/lib/postgresql/*/bin and on PATH). " +
            $"Install the PostgreSQL 15 server (apt-get install postgresql-15) or set {ConnectionVariable} to a connection string.");
        var root = Path.Combine(Path.GetTempPath(), $"quiz-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(root);
        var data = Path.Combine(root, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", $"postgres {root}");
        }

        var port = FreePort();
        var options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
        await RunServerToolAsync(asRoot, Path.Combine(bin, "initdb"), $"-D {data} -U postgres -A trust -E UTF8 --no-sync --no-instructions");
        await RunServerToolAsync(asRoot, Path.Combine(bin, "pg_ctl"), $"-D {data} -l {root}/server.log -w -t 60 -o \"{options}\" start");

        var admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
        await ExecuteAsync(admin, "create database quiz");
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=quiz";
        var server = new PostgresServer(connectionString, root, bin, options);
        try
        {
            await ApplySchemaAsync(connectionString);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// A new database on this server with the schema applied (or empty, to apply it after setting up an older shape),
    /// for a test that must change what every cluster shares.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(bool applySchema = true)
    {
        var database = $"quiz_own_{Guid.NewGuid():N}"[..24];
        await ExecuteAsync(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString, $"create database {database}");
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;
        if (applySchema)
        {
            await ApplySchemaAsync(connectionString);
        }

        return connectionString;
    }

    /// <summary>Stops this server as an operator's restart does (fast shutdown: every connection is cut).</summary>
    public Task StopAsync() =>
        RunServerToolAsync(Environment.UserName == "root", Path.Combine(OwnBinaries(), "pg_ctl"), $"-D {_dataDirectory}/data -m fast -w stop");

    /// <summary>Starts this server again after <see cref="StopAsync"/>, on the same port with the same data.</summary>
    public Task StartAgainAsync() =>
        RunServerToolAsync(Environment.UserName == "root", Path.Combine(OwnBinaries(), "pg_ctl"),
            $"-D {_dataDirectory}/data -l {_dataDirectory}/server.log -w -t 60 -o \"{_serverOptions}\" start");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDirectory is null || _binDirectory is null)
        {
            return;
        }

        var asRoot = Environment.UserName == "root";
        try
        {
            await RunServerToolAsync(asRoot, Path.Combine(_binDirectory, "pg_ctl"), $"-D {_dataDirectory}/data -m immediate -w stop");
        }
        finally
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>Applies the schema the way operators do: <c>sql/apply.sh</c>.</summary>
    public static Task ApplySchemaAsync(string connectionString) =>
        RunAsync("bash", $"{Path.Combine(RepositoryRoot.Path, "sql", "apply.sh")} {Uri(connectionString)}", Password(connectionString));

    /// <summary><c>pg_dump --format=custom</c> of a database, as docs/operations.md ("Backups and restore") takes it.</summary>
    public Task DumpAsync(string connectionString, string file) =>
        RunAsync(Tool("pg_dump"), $"--format=custom --file={file} {Uri(connectionString)}", Password(connectionString));

    /// <summary><c>pg_restore --no-owner</c> of a dump into an empty database, as docs/operations.md restores one.</summary>
    public Task RestoreAsync(string file, string connectionString) =>
        RunAsync(Tool("pg_restore"), $"--no-owner --dbname={Uri(connectionString)} {file}", Password(connectionString));

    private string Tool(string name) => _binDirectory is null ? name : Path.Combine(_binDirectory, name);

    private static string Uri(string connectionString)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{System.Uri.EscapeDataString(csb.Username ?? "postgres")}@{csb.Host}:{csb.Port}/{csb.Database}";
    }

    private static Dictionary<string, string> Password(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Password is { Length: > 0 } password ? new() { ["PGPASSWORD"] = password } : [];

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private string OwnBinaries() => _binDirectory ?? throw new InvalidOperationException(
        $"This test stops and starts PostgreSQL, so it needs a server of its own: it cannot run on the server {ConnectionVariable} names.");

    private static string? FindServerBinaries()
    {
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunServerToolAsync(bool asRoot, string tool, string arguments) =>
        asRoot ? RunAsync("runuser", $"-u postgres -- {tool} {arguments}") : RunAsync(tool, arguments);

    private static async Task RunAsync(string file, string arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash", ["-c", $"{file} {arguments}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL for the tests: '{file} {arguments}' exited with {process.ExitCode}.\n{await error}\n{await output}");
        }
    }
}
