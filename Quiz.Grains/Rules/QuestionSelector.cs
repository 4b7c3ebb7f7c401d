namespace Quiz.Rules;

/// <summary>
/// Chooses a learner's next question at their level: one they were never asked, from the topic they were asked
/// least (ties: the topic with the weakest accuracy, then at random). When every question at the level was asked,
/// the least recently asked one comes again. Topics the learner switched off are left out, unless no question at the
/// level is left then: a level is never empty for want of a topic.
/// </summary>
public static class QuestionSelector
{
    public static QuestionChoice? Choose(
        IReadOnlyList<Question> questionsAtLevel,
        IReadOnlyDictionary<string, DateOnly> asked,
        IReadOnlyDictionary<string, TopicStats> topics,
        Random random,
        IReadOnlyCollection<string>? topicsOff = null)
    {
        if (topicsOff is { Count: > 0 } && questionsAtLevel.Where(q => !topicsOff.Contains(q.Topic)).ToList() is { Count: > 0 } inChosenTopics)
        {
            questionsAtLevel = inChosenTopics;
        }

        if (questionsAtLevel.Count == 0)
        {
            return null;
        }

        var unasked = questionsAtLevel.Where(q => !asked.ContainsKey(q.Id)).ToList();
        if (unasked.Count > 0)
        {
            var byTopic = unasked.GroupBy(q => q.Topic).ToList();
            var fewestAsked = byTopic.Min(g => AskedIn(topics, g.Key));
            var leastAsked = byTopic.Where(g => AskedIn(topics, g.Key) == fewestAsked).ToList();
            var weakest = leastAsked.Min(g => AccuracyIn(topics, g.Key));
            var candidates = leastAsked.Where(g => AccuracyIn(topics, g.Key) == weakest).ToList();
            var topic = candidates[random.Next(candidates.Count)].ToList();
            return new QuestionChoice(topic[random.Next(topic.Count)], IsRepeat: false);
        }

        var oldestDay = questionsAtLevel.Min(q => asked[q.Id]);
        var oldest = questionsAtLevel.Where(q => asked[q.Id] == oldestDay).ToList();
        return new QuestionChoice(oldest[random.Next(oldest.Count)], IsRepeat: true);
    }

    private static int AskedIn(IReadOnlyDictionary<string, TopicStats> topics, string topic) =>
        topics.TryGetValue(topic, out var stats) ? stats.Asked : 0;

    /// <summary>A topic never answered counts as the weakest: we know least about it.</summary>
    private static double AccuracyIn(IReadOnlyDictionary<string, TopicStats> topics, string topic) =>
        topics.TryGetValue(topic, out var stats) && stats.Answered > 0 ? (double)stats.Correct / stats.Answered : 0.0;
}
