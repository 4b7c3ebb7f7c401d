using System.Globalization;
using Quiz.Benchmarks;
using Quiz.Testing;

var command = args.FirstOrDefault() ?? "answers";
int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, $"--{name}");
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
}

double Rate(string name, double fallback)
{
    var index = Array.IndexOf(args, $"--{name}");
    return index >= 0 && index + 1 < args.Length && double.TryParse(args[index + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

string? Text(string name)
{
    var index = Array.IndexOf(args, $"--{name}");
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

switch (command)
{
    case "answers":
        await AnswerThroughput.RunAsync(Option("learners", 4000), Option("concurrency", 16));
        break;
    case "fanout":
        var learners = Option("learners", 10_000);
        var passed = await DailyFanOut.RunAsync(
            learners, Option("limit", 25), Option("concurrency", 500), TimeSpan.FromSeconds(Option("retry-seconds", 10)), Option("answer-every", 0), Option("silos", 2), Option("kill-silo-after", 0), Text("fault"));
        return passed ? 0 : 1;
    case "webhook":
        var limit = Option("limit", 30);
        await WebhookAnswers.RunAsync(Option("answers", 3000), Option("concurrency", 32), limit, Option("paced", 200), Rate("paced-rate", limit / 3.0));
        break;
    case "scale":
        await Scale.RunAsync(
            [.. (Text("steps") ?? "10000,100000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))], Option("concurrency", 64),
            Option("sample", 1000), Option("days", 30), Text("chart"));
        break;
    case "chart":
        await ChartRendering.RunAsync(Option("learners", 50), Option("renders", 300));
        break;
    case "fault-telegram-storms":
        var storms = await Quiz.Testing.Faults.TelegramStorms.RunAsync(Option("learners", 400));
        Console.WriteLine($"fault telegram-storms: {(storms.Passed ? "PASS" : "FAIL")}: {storms}");
        return storms.Passed ? 0 : 1;
    case "fault-postgres-restart":
        var restart = await Quiz.Testing.Faults.DatabaseRestart.RunAsync(Option("learners", 200));
        Console.WriteLine($"fault postgres-restart: {(restart.Passed ? "PASS" : "FAIL")}: {restart}");
        return restart.Passed ? 0 : 1;
    case "fault-gateway-restart":
        var gatewayRestart = await Quiz.Testing.Faults.GatewayRestart.RunAsync(Option("learners", 400));
        Console.WriteLine($"fault gateway-restart: {(gatewayRestart.Passed ? "PASS" : "FAIL")}: {gatewayRestart}");
        return gatewayRestart.Passed ? 0 : 1;
    case "fault-restore-drill":
        var drill = await Quiz.Testing.Faults.RestoreDrill.RunAsync(Option("learners", 100));
        Console.WriteLine($"fault restore-drill: {(drill.Passed ? "PASS" : "FAIL")}: {drill}");
        return drill.Passed ? 0 : 1;
    default:
        Console.Error.WriteLine($"unknown benchmark '{command}': use 'answers', 'fanout', 'webhook', 'scale', 'chart', 'fault-postgres-restart', 'fault-gateway-restart', 'fault-telegram-storms' or 'fault-restore-drill'");
        return 2;
}

return 0;
