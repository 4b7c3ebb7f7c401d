using Quiz.Learners;

namespace Quiz.Tests.Rules;

/// <summary>
/// Replays long random sequences of days (answer right, answer wrong, answer late, skip) against <see cref="Learner"/>
/// and against a small model of the rules written independently here, and compares them after every step.
/// </summary>
public sealed class LearnerReferenceModelTests
{
    private enum Move
    {
        Correct,
        Wrong,
        LateCorrect,
        LateWrong,
        Skip,
        NoDelivery,
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomDaysMatchTheReferenceModel(int seed)
    {
        var random = new Random(seed);
        var learner = LearnerTests.Subscribed();
        var model = new Model();
        var morning = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

        for (var day = 0; day < 400; day++)
        {
            var move = (Move)random.Next(Enum.GetValues<Move>().Length);
            var at = morning.AddDays(day);
            if (move == Move.NoDelivery)
            {
                learner.SettleDaysBefore(at);
                model.NoDelivery();
            }
            else
            {
                var question = LearnerTests.Deliver(learner, at, $"q{day}");
                model.Delivered();
                var tap = LearnerTests.Tap(question, at, correct: move is Move.Correct or Move.LateCorrect);
                switch (move)
                {
                    case Move.Correct or Move.Wrong:
                        learner.Answer(tap, at.AddHours(2));
                        model.AnsweredOnTime(move == Move.Correct);
                        break;
                    case Move.LateCorrect or Move.LateWrong:
                        learner.Answer(tap, at.AddDays(1).AddHours(-9));
                        model.AnsweredLate(move == Move.LateCorrect);
                        break;
                }
            }

            var state = learner.State;
            Assert.True(
                (model.Level, model.Streak, model.Best, model.InARow, model.Answered, model.Correct) ==
                (state.Level, state.Streak, state.BestStreak, state.CorrectInARow, state.Answered, state.Correct),
                $"seed {seed}, day {day}, {move}: model {(model.Level, model.Streak, model.Best, model.InARow, model.Answered, model.Correct)} " +
                $"but learner {(state.Level, state.Streak, state.BestStreak, state.CorrectInARow, state.Answered, state.Correct)}");
        }
    }

    /// <summary>The rules as the issue states them, kept deliberately naive.</summary>
    private sealed class Model
    {
        private static readonly Level[] Ladder = [Level.Beginner, Level.Intermediate, Level.Advanced, Level.Expert];
        private bool _pendingUnanswered;

        public Level Level { get; private set; } = Level.Intermediate;
        public int Streak { get; private set; }
        public int Best { get; private set; }
        public int InARow { get; private set; }
        public int Answered { get; private set; }
        public int Correct { get; private set; }

        public void Delivered()
        {
            CloseDay();
            _pendingUnanswered = true;
        }

        public void NoDelivery() => CloseDay();

        public void AnsweredOnTime(bool correct)
        {
            _pendingUnanswered = false;
            Count(correct);
            if (correct)
            {
                Streak++;
                Best = Math.Max(Best, Streak);
                InARow++;
                if (InARow == 3)
                {
                    InARow = 0;
                    Level = Ladder[Math.Min(Array.IndexOf(Ladder, Level) + 1, 3)];
                }
            }
            else
            {
                Streak = 0;
                InARow = 0;
                Level = Ladder[Math.Max(Array.IndexOf(Ladder, Level) - 1, 0)];
            }
        }

        public void AnsweredLate(bool correct)
        {
            // A late answer comes the next day: the question's own day has closed unanswered first.
            CloseDay();
            Count(correct);
        }

        private void CloseDay()
        {
            if (_pendingUnanswered)
            {
                Streak = 0;
            }

            _pendingUnanswered = false;
        }

        private void Count(bool correct)
        {
            Answered++;
            if (correct)
            {
                Correct++;
            }
        }
    }
}
