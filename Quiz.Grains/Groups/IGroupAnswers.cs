using Quiz.Social;

namespace Quiz.Groups;

/// <summary>How a group answered one question: how many chose each option, and who was right, in the order they answered.</summary>
public sealed record GroupTally(IReadOnlyList<int> Choices, IReadOnlyList<string> RightNames);

/// <summary>
/// The answers given in groups: one per member and question, the group's tally and its tops. With PostgreSQL the table
/// <c>group_answers</c> (sql/190_quiz_groups.sql). A group answer counts here only, never for the member's own level or streak.
/// </summary>
public interface IGroupAnswers
{
    /// <summary>Records the member's answer unless they answered the question already; returns the choice that stands.</summary>
    Task<(bool Recorded, int Choice)> RecordAsync(long chatId, GroupAnswer answer, bool isCorrect, DateTimeOffset answeredAt, CancellationToken cancellationToken);

    Task<GroupTally> TallyAsync(long chatId, string questionId, DateOnly day, CancellationToken cancellationToken);

    /// <summary>The group's top 10 of <paramref name="today"/> (the group's date), its week from Monday and its month, by right answers.</summary>
    Task<Leaderboards> TopAsync(long chatId, DateOnly today, CancellationToken cancellationToken);
}
