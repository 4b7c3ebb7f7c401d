namespace Quiz;

/// <summary>Names of the grain storage providers and the states they hold.</summary>
public static class StorageNames
{
    /// <summary>The storage provider for learner state.</summary>
    public const string Learners = "learners";

    /// <summary>The learner grain's state name; unique to that grain type (see dotnet/orleans#8746).</summary>
    public const string LearnerState = "learner";

    /// <summary>The group grain's state name, kept by the same provider.</summary>
    public const string GroupState = "group";
}
