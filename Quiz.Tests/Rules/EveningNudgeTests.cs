using static Quiz.Tests.Rules.LearnerTests;

namespace Quiz.Tests.Rules;

public sealed class EveningNudgeTests
{
    /// <summary>Monday 2 March 2026 in Berlin is UTC+1: 10:00 local is 09:00 UTC, 19:00 local is 18:00 UTC.</summary>
    private static readonly DateTimeOffset BerlinMorning = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NudgeIsDueAtSevenInTheEveningLocalWhenTodaysQuestionIsUnanswered()
    {
        var learner = InBerlinWithNudge();
        Deliver(learner, BerlinMorning, "q1");

        Assert.False(learner.IsNudgeDue(BerlinMorning.AddHours(8).AddMinutes(59)));
        Assert.True(learner.IsNudgeDue(BerlinMorning.AddHours(9)));
        Assert.Equal(BerlinMorning.AddHours(9), learner.NextNudge(BerlinMorning));
    }

    [Fact]
    public void NudgeIsNeverSentTwiceADayNorInTheQuietHours()
    {
        var learner = InBerlinWithNudge();
        Deliver(learner, BerlinMorning, "q1");

        Assert.False(learner.IsNudgeDue(BerlinMorning.AddHours(12)), "22:00 local is quiet");
        Assert.True(learner.IsNudgeDue(BerlinMorning.AddHours(11).AddMinutes(59)));
        learner.RecordNudge(BerlinMorning.AddHours(9));
        Assert.False(learner.IsNudgeDue(BerlinMorning.AddHours(10)));
        Assert.Equal(BerlinMorning.AddDays(1).AddHours(9), learner.NextNudge(BerlinMorning.AddHours(9)));
    }

    [Fact]
    public void NoNudgeWhenTheQuestionIsAnsweredOrNotYetInTheChatOrNudgesAreOff()
    {
        var answered = InBerlinWithNudge();
        var question = Deliver(answered, BerlinMorning, "q1");
        answered.Answer(TapOn(question, answered.Today(BerlinMorning), correct: false), BerlinMorning.AddHours(1));
        var late = InBerlinWithNudge();
        Assert.True(late.TrySetSchedule(new TimeOnly(20, 0), "Europe/Berlin", BerlinMorning));
        var off = InBerlinWithNudge();
        Deliver(off, BerlinMorning, "q1");
        off.SetNudge(false);

        Assert.False(answered.IsNudgeDue(BerlinMorning.AddHours(9)));
        Assert.False(late.IsNudgeDue(BerlinMorning.AddHours(9)), "today's question comes at 20:00, after the nudge time");
        Assert.False(off.IsNudgeDue(BerlinMorning.AddHours(9)));
    }

    [Fact]
    public void TheLastTopicOnCannotBeSwitchedOffAndSelectionHonoursTheRest()
    {
        var learner = Subscribed();
        foreach (var topic in Topics.All.Skip(1))
        {
            Assert.True(learner.TrySwitchTopic(topic));
        }

        Assert.False(learner.TrySwitchTopic(Topics.All[0]));
        Assert.Equal(Topics.All.Skip(1), learner.QuestionRequest().TopicsOff);
        Assert.True(learner.TrySwitchTopic(Topics.All[3]));
        Assert.DoesNotContain(Topics.All[3], learner.QuestionRequest().TopicsOff);
    }

    private static Quiz.Learners.Learner InBerlinWithNudge()
    {
        var learner = Subscribed();
        Assert.True(learner.TrySetSchedule(new TimeOnly(10, 0), "Europe/Berlin", BerlinMorning.AddHours(-3)));
        learner.SetNudge(true);
        return learner;
    }
}
