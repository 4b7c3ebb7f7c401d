using Quiz.Benchmarks;

var command = args.FirstOrDefault() ?? "answers";
int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, $"--{name}");
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
}

switch (command)
{
    case "answers":
        await AnswerThroughput.RunAsync(Option("learners", 4000), Option("concurrency", 16));
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{command}': use 'answers'");
        return 2;
}

return 0;
