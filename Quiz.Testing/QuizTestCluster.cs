using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using Quiz.Bank;
using Quiz.Learners;
using Quiz.Sending;
using Quiz.Silo;
using Quiz.Silo.Telegram;

namespace Quiz.Testing;

/// <summary>
/// A TestCluster wired like production (<see cref="QuizSiloBuilderExtensions"/>) on the test PostgreSQL:
/// ADO.NET clustering, grain state and reminders, with a fake clock and a recording sender.
/// </summary>
public sealed class QuizTestCluster : IAsyncDisposable
{
    private QuizTestCluster(TestCluster cluster, TestClusterServices services, string connectionString)
    {
        Cluster = cluster;
        Services = services;
        ConnectionString = connectionString;
    }

    public TestCluster Cluster { get; }

    public TestClusterServices Services { get; }

    public string ConnectionString { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    public string ServiceId => Cluster.Options.ServiceId;

    /// <summary>
    /// Starts a cluster; pass the <c>serviceId</c> and <c>services</c> of a stopped one to restart it, more silo
    /// <c>configuration</c> (<c>Telegram:BotToken</c>, <c>Telegram:ApiBaseUrl</c>) to send through the real Telegram client,
    /// and a <c>connectionString</c> to run on a database of its own instead of the shared one.
    /// </summary>
    public static async Task<QuizTestCluster> StartAsync(
        int silos = 1,
        string? serviceId = null,
        TestClusterServices? services = null,
        IReadOnlyDictionary<string, string>? configuration = null,
        string? connectionString = null)
    {
        connectionString ??= (await SharedPostgres.GetAsync()).ConnectionString;
        services ??= new TestClusterServices();
        var id = TestClusterServices.Register(services);

        var builder = new TestClusterBuilder((short)silos);
        builder.Options.UseTestClusterMembership = false;
        // Real sockets, as in production, so that a separately hosted gateway can join as a client.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Options.ServiceId = serviceId ?? $"quiz-test-{id[..8]}";
        builder.Properties["ConnectionStrings:Quiz"] = connectionString;
        builder.Properties[TestClusterServices.IdKey] = id;
        foreach (var (key, value) in configuration ?? new Dictionary<string, string>())
        {
            builder.Properties[key] = value;
        }

        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new QuizTestCluster(cluster, services, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            var connectionString = configuration.GetConnectionString("Quiz");
            var services = TestClusterServices.Get(configuration[TestClusterServices.IdKey]!);
            // The grains read the fake clock; Orleans' own timers (messaging, membership, reminders) keep real time.
            siloBuilder.Services.AddSingleton<TimeProvider>(services.Clock);
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(KeyedService.AnyKey, TimeProvider.System);
            var dueSweep = configuration["Delivery:DueSweepInterval"];
            siloBuilder.Services.Configure<DeliveryOptions>(o =>
            {
                o.RetryAfterFailedSend = TimeSpan.FromSeconds(2);
                o.OutboxSweepInterval = TimeSpan.FromSeconds(2);
                // Tests move the clock by days and deliver when they choose: the due sweep runs only where a test asks.
                o.DueSweepInterval = dueSweep is null ? TimeSpan.FromDays(1) : TimeSpan.Parse(dueSweep, System.Globalization.CultureInfo.InvariantCulture);
                o.DueSweepGrace = TimeSpan.FromMinutes(10);
            });
            siloBuilder.Services.Configure<QuestionBankOptions>(o => o.RefreshInterval = TimeSpan.FromSeconds(2));
            if (string.IsNullOrEmpty(configuration["Telegram:BotToken"]))
            {
                siloBuilder.Services.AddSingleton<ILearnerMessenger>(services.Sender);
            }
            else
            {
                siloBuilder.Services.AddQuizMessaging(configuration);
            }

            siloBuilder.AddQuizPersistence(connectionString);
            siloBuilder.AddQuizGrains(connectionString, questionDirectory: null);
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            });
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = QuizSiloBuilderExtensions.Invariant;
                o.ConnectionString = configuration.GetConnectionString("Quiz");
            });
    }
}
