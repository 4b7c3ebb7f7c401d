using Quiz.Admin;

return await new AdminCommands(Console.Out, Console.Error).RunAsync(args, CancellationToken.None);
