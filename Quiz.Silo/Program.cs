using Orleans.Configuration;
using Orleans.Dashboard;
using Quiz.ServiceDefaults;
using Quiz.Silo;
using Quiz.Silo.Telegram;

var builder = WebApplication.CreateBuilder(args);
builder.AddQuizServiceDefaults();
// A stopping silo hands its activations and reminder ranges over and writes state; Kubernetes gives it 60 s.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));

var connectionString = builder.Configuration.GetConnectionString("Quiz");
var localMode = string.IsNullOrWhiteSpace(connectionString);
var inKubernetes = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));

builder.Services.AddQuizMessaging(builder.Configuration);
builder.Services.AddHealthChecks().AddCheck<SiloReadyHealthCheck>("silo", tags: [ServiceDefaultsExtensions.ReadyTag]);
if (!localMode)
{
    builder.Services.AddHealthChecks().AddDatabaseCheck(connectionString!);
}

builder.UseOrleans(silo =>
{
    if (inKubernetes)
    {
        // Identity from the pod (ORLEANS_SERVICE_ID, ORLEANS_CLUSTER_ID, POD_*), and silos of deleted pods removed.
        silo.UseKubernetesHosting();
    }
    else
    {
        silo.Configure<ClusterOptions>(builder.Configuration.GetSection("Orleans"));
    }

    silo.AddQuizPersistence(connectionString);
    silo.AddQuizGrains(connectionString, questionDirectory: null);
    // The log stream shows every silo's live log: only on a developer's own machine.
    silo.AddDashboard(options => options.HideTrace = !localMode);
});

var app = builder.Build();
app.MapQuizDefaultEndpoints();
app.MapQuizDashboard(localMode);

var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Quiz.Silo");
if (localMode)
{
    log.LogWarning("Embedded mode: localhost clustering, in-memory grain state and reminders. NOT DURABLE: everything is lost when this silo stops. Set ConnectionStrings__Quiz to run on PostgreSQL.");
}
else
{
    log.LogInformation("PostgreSQL mode: clustering, grain state and reminders through the ADO.NET providers.");
}

app.Run();
