using Orleans.Configuration;
using Quiz.Silo;
using Quiz.Silo.Telegram;

var builder = WebApplication.CreateBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Quiz");

builder.Services.AddQuizMessaging(builder.Configuration);
builder.UseOrleans(silo =>
{
    silo.Configure<ClusterOptions>(builder.Configuration.GetSection("Orleans"));
    silo.AddQuizPersistence(connectionString);
    silo.AddQuizGrains(connectionString, questionDirectory: null);
});

var app = builder.Build();
app.MapGet("/health/live", () => Results.Ok("live"));

var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Quiz.Silo");
if (string.IsNullOrWhiteSpace(connectionString))
{
    log.LogWarning("Embedded mode: localhost clustering, in-memory grain state and reminders. NOT DURABLE: everything is lost when this silo stops. Set ConnectionStrings__Quiz to run on PostgreSQL.");
}
else
{
    log.LogInformation("PostgreSQL mode: clustering, grain state and reminders through the ADO.NET providers.");
}

app.Run();
