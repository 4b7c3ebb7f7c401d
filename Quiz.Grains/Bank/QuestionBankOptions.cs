using System.ComponentModel.DataAnnotations;

namespace Quiz.Bank;

/// <summary>Settings of the per-silo question cache.</summary>
public sealed class QuestionBankOptions
{
    public const string SectionName = "QuestionBank";

    /// <summary>How often each silo reloads the bank, so imports and retirements reach every silo within it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many different learners' reports withdraw a question until an operator reviews it.</summary>
    [Range(1, 1000)]
    public int ReportsToWithdraw { get; set; } = 3;

    /// <summary>When a learner has fewer unasked questions than this left at their level, a new one is generated ahead.</summary>
    [Range(0, 1000)]
    public int GenerateWhenUnaskedBelow { get; set; } = 5;

    /// <summary>Folder of the bank files, read in embedded mode (no database).</summary>
    public string? Directory { get; set; }
}
