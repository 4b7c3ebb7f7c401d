using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Quiz.Bank;
using Quiz.Generation;
using Quiz.Groups;
using Quiz.Learners;
using Quiz.Progress;
using Quiz.Social;
using Quiz.Silo.Charts;
using Quiz.Silo.Postgres;
using Quiz.Sending;
using Quiz.Storage;

namespace Quiz.Silo;

/// <summary>The silo's wiring, shared by the silo host and the test clusters so that tests run what production runs.</summary>
public static class QuizSiloBuilderExtensions
{
    /// <summary>The ADO.NET invariant name of the Npgsql provider.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Clustering, grain state and reminders on PostgreSQL when <paramref name="connectionString"/> is set;
    /// otherwise the embedded default: localhost clustering, in-memory state and reminders (not durable).
    /// </summary>
    public static ISiloBuilder AddQuizPersistence(this ISiloBuilder silo, string? connectionString, bool configureClustering = true)
    {
        var serializer = new JsonGrainStateSerializer();
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (configureClustering)
            {
                silo.UseLocalhostClustering();
            }

            silo.AddMemoryGrainStorage(StorageNames.Learners, o => o.GrainStorageSerializer = serializer);
            silo.UseInMemoryReminderService();
            return silo;
        }

        var budget = ConnectionBudget.FromSetting(silo.Configuration[ConnectionBudget.SettingName]);
        var queries = Pooled(connectionString, budget.Queries);
        if (configureClustering)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = ForProviders(connectionString, "quiz-clustering", budget.Clustering);
            });
        }

        silo.AddAdoNetGrainStorage(StorageNames.Learners, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = ForProviders(connectionString, "quiz-state", budget.State, StateConnectionWait);
            o.GrainStorageSerializer = serializer;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = ForProviders(connectionString, "quiz-reminders", budget.Reminders);
        });
        silo.Services.AddSingleton(_ => NpgsqlDataSource.Create(queries));
        silo.Services.AddHostedService<OutboxSweeper>();
        silo.Services.AddHostedService<DueDeliverySweeper>();
        silo.Services.AddSingleton<IBroadcastSchedule, PostgresBroadcastSchedule>();
        return silo;
    }

    /// <summary>
    /// How long a state read or write waits for a pooled connection (Npgsql's <c>Timeout</c>, 15 s by default): when a
    /// delivery time's reminders all fire at once, the ticks queue for the pool; they must wait their turn, not fail.
    /// </summary>
    public const int StateConnectionWait = 120;

    /// <summary>
    /// A provider's connection settings: no <c>DISCARD ALL</c> when a pooled connection is returned (it would drop
    /// the write function's cached plans on every call; nothing here keeps session state), automatic preparation
    /// of the few statements the providers repeat, a bounded pool of its own, and how long to wait for it.
    /// </summary>
    public static string ForProviders(string connectionString, string applicationName, int poolSize, int? connectionWait = null) =>
        Pooled(connectionString, poolSize, builder =>
        {
            builder.NoResetOnClose = true;
            builder.MaxAutoPrepare = Math.Max(builder.MaxAutoPrepare, 32);
            builder.ApplicationName ??= applicationName;
            if (connectionWait is { } seconds && builder.Timeout == new NpgsqlConnectionStringBuilder().Timeout)
            {
                builder.Timeout = seconds;
            }
        });

    /// <summary><paramref name="connectionString"/> with at most <paramref name="poolSize"/> connections, unless it sets its own.</summary>
    public static string Pooled(string connectionString, int poolSize, Action<NpgsqlConnectionStringBuilder>? configure = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxPoolSize == new NpgsqlConnectionStringBuilder().MaxPoolSize)
        {
            builder.MaxPoolSize = poolSize;
        }

        configure?.Invoke(builder);
        return builder.ConnectionString;
    }

    /// <summary>The grains' services: clock, metrics, the per-silo question catalog and the reminder settings.</summary>
    public static ISiloBuilder AddQuizGrains(this ISiloBuilder silo, string? connectionString, string? questionDirectory)
    {
        var services = silo.Services;
        silo.AddActivityPropagation();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<QuizMetrics>();
        services.AddHostedService<ClusterSizeReporter>();
        services.TryAddSingleton<GenerationMetrics>();
        services.AddSingleton<QuestionCatalog>();
        services.AddOptions<SendingOptions>().BindConfiguration(SendingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SendingOptions>, SendingOptionsValidator>();
        services.AddSingleton<IValidateOptions<SendingOptions>, RenamedSettingValidator>();
        services.AddSingleton<BroadcastPacing>();
        services.TryAddSingleton<IBroadcastSchedule, InMemoryBroadcastSchedule>();
        services.AddSingleton<FailedTickRetries>();
        services.AddHostedService(sp => sp.GetRequiredService<FailedTickRetries>());
        services.AddSingleton<IProgressCharts, ProgressCharts>();
        services.AddSingleton<OutboundDispatcher>();
        services.AddSingleton<IOutboundQueue>(sp => sp.GetRequiredService<OutboundDispatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<OutboundDispatcher>());
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QuestionBankOptions>().BindConfiguration(QuestionBankOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.TryAddSingleton<IQuestionReports, InMemoryQuestionReports>();
            services.TryAddSingleton<IAnswerHistory, InMemoryAnswerHistory>();
            services.TryAddSingleton<ILeaderboard, InMemoryLeaderboard>();
            services.TryAddSingleton<ILeagueStore, InMemoryLeagueStore>();
            services.TryAddSingleton<IGroupAnswers, InMemoryGroupAnswers>();
            services.TryAddSingleton<IQuestionSource>(sp => new FileQuestionSource(
                questionDirectory ?? sp.GetRequiredService<IOptions<QuestionBankOptions>>().Value.Directory ?? BankFiles.Locate()));
        }
        else
        {
            services.TryAddSingleton<IQuestionSource, PostgresQuestionSource>();
            services.TryAddSingleton<IQuestionReports, PostgresQuestionReports>();
            services.TryAddSingleton<IAnswerHistory, PostgresAnswerHistory>();
            services.TryAddSingleton<ILeaderboard, PostgresLeaderboard>();
            services.TryAddSingleton<ILeagueStore, PostgresLeagueStore>();
            services.TryAddSingleton<IGroupAnswers, PostgresGroupAnswers>();
            services.AddHostedService<LeaderboardRefresher>();
            services.TryAddSingleton<IQuestionWriter, PostgresQuestionWriter>();
        }

        services.AddOptions<GenerationOptions>().BindConfiguration(GenerationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GenerationOptions>>().Value;
            return new QuestionGenerator(
                options.IsEnabled ? QuestionGenerator.CreateClient(options) : null, options, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<GenerationMetrics>(), sp.GetRequiredService<ILogger<QuestionGenerator>>());
        });
        services.AddSingleton(sp => new BankRefiller(
            sp.GetRequiredService<QuestionGenerator>(), sp.GetRequiredService<QuestionCatalog>(),
            sp.GetRequiredService<ILogger<BankRefiller>>(), sp.GetService<IQuestionWriter>()));
        services.AddHostedService(sp => sp.GetRequiredService<BankRefiller>());

        // One reminder per learner that fires once a day: see docs/reminders.md for these two numbers.
        services.Configure<ReminderOptions>(o =>
        {
            o.RefreshReminderListPeriod = TimeSpan.FromMinutes(30);
            o.ReminderLoadingWindow = TimeSpan.FromMinutes(40);
        });
        return silo;
    }
}
