using System.Collections.Concurrent;
using Quiz.Social;

namespace Quiz.Groups;

/// <summary>The group answers of embedded mode (no PostgreSQL): kept for the silo's lifetime.</summary>
public sealed class InMemoryGroupAnswers : IGroupAnswers
{
    private readonly ConcurrentDictionary<(long ChatId, string QuestionId, DateOnly Day, long UserId), Entry> _answers = new();

    public Task<(bool Recorded, int Choice)> RecordAsync(long chatId, GroupAnswer answer, bool isCorrect, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        var entry = new Entry(answer.DisplayName, answer.Choice, isCorrect, answeredAt);
        var stored = _answers.GetOrAdd((chatId, answer.QuestionId, answer.Day, answer.UserId), entry);
        return Task.FromResult((ReferenceEquals(stored, entry), stored.Choice));
    }

    public Task<GroupTally> TallyAsync(long chatId, string questionId, DateOnly day, CancellationToken cancellationToken)
    {
        var answers = _answers.Where(a => a.Key.ChatId == chatId && a.Key.QuestionId == questionId && a.Key.Day == day).Select(a => a.Value).ToList();
        return Task.FromResult(new GroupTally(
            [.. Enumerable.Range(0, 4).Select(option => answers.Count(a => a.Choice == option))],
            [.. answers.Where(a => a.IsCorrect).OrderBy(a => a.At).Select(a => a.Name)]));
    }

    public Task<Leaderboards> TopAsync(long chatId, DateOnly today, CancellationToken cancellationToken)
    {
        var right = _answers.Where(a => a.Key.ChatId == chatId && a.Value.IsCorrect && a.Key.Day <= today).ToList();
        IReadOnlyList<LeaderboardEntry> Top(DateOnly since) => [.. right.Where(a => a.Key.Day >= since)
            .GroupBy(a => a.Key.UserId)
            .Select(g => (Name: g.OrderBy(a => a.Value.At).Last().Value.Name, Correct: g.Count(), Reached: g.Max(a => a.Value.At), Id: g.Key))
            .OrderByDescending(s => s.Correct).ThenBy(s => s.Reached).ThenBy(s => s.Id).Take(10)
            .Select((s, i) => new LeaderboardEntry(i + 1, s.Name, s.Correct))];
        return Task.FromResult(new Leaderboards(Top(today), Top(Rules.Weeks.MondayOf(today)), Top(new DateOnly(today.Year, today.Month, 1))));
    }

    private sealed record Entry(string Name, int Choice, bool IsCorrect, DateTimeOffset At);
}
