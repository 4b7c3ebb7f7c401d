using Orleans;

namespace Quiz;

/// <summary>How hard a learner's questions are, from easiest to hardest.</summary>
[GenerateSerializer]
[Alias("quiz.level")]
public enum Level
{
    Beginner = 0,
    Intermediate = 1,
    Advanced = 2,
    Expert = 3,
}
