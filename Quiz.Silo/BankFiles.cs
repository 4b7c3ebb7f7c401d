namespace Quiz.Silo;

/// <summary>Finds the shipped bank files (<c>sql/questions</c>) for the embedded mode.</summary>
public static class BankFiles
{
    public static string Locate()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "sql", "questions");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(
            "No question bank found: set QuestionBank:Directory to the folder of the bank files (sql/questions).");
    }
}
