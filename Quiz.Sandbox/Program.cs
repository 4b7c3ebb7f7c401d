using Quiz.Sandbox;

// Runs the sandbox alone: `dotnet run --project Quiz.Sandbox`, then open the printed address.
// Settings: the `Sandbox` section (Sandbox__BotToken=..., --Sandbox:MaxMessagesPerSecond=30) and `urls`.
var configuration = new ConfigurationManager();
configuration.AddJsonFile("appsettings.json", optional: true);
configuration.AddEnvironmentVariables("ASPNETCORE_");
configuration.AddEnvironmentVariables();
configuration.AddCommandLine(args);

var options = configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>() ?? new SandboxOptions();
var urls = configuration["urls"] ?? "http://127.0.0.1:5005";

await using var app = SandboxApp.Build(options, urls, args);
await app.StartAsync();
var baseUrl = SandboxApp.BaseUrl(app);
app.Logger.LogInformation("Chat with the bot at {BaseUrl}", baseUrl);
if (options.DemoGroup)
{
    app.Logger.LogInformation("The demo group is at {BaseUrl}?chatId={GroupId}", baseUrl, SandboxState.DemoGroupId);
}

app.Logger.LogInformation("The bot's Bot API base URL is {BaseUrl} (with the token from Sandbox:BotToken)", baseUrl);
await app.WaitForShutdownAsync();
