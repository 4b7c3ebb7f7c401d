using System.Globalization;
using System.Net;
using System.Text;

namespace Quiz.Conversation;

/// <summary>
/// Every text the bot sends, in one place so that it can be translated. Texts are Telegram HTML: anything that
/// comes from data is escaped, and no message exceeds Telegram's 4,096 characters.
/// </summary>
public static class Texts
{
    public const int MaxMessageLength = 4096;
    private static readonly string[] Letters = ["A", "B", "C", "D"];

    public static string Letter(int option) => Letters[option];

    public static string Welcome(bool isNewLearner, bool questionFollows) =>
        (isNewLearner ? "👋 <b>Welcome to the daily Data Engineering quiz!</b>\n" : "👋 <b>Welcome back!</b> Your progress is where you left it.\n")
        + "\n• One multiple-choice question a day, at your delivery time (10:00 UTC unless you change it with /time)."
        + "\n• Three right answers in a row move you up a level; a wrong one moves you down."
        + "\n• Answer each day's question on its day to keep your streak."
        + (questionFollows ? "\n\nHere is today's question:" : "\n\nToday's question is already above. See you at the next one!");

    public static string Goodbye =>
        "👋 Stopped. No more daily questions; your streak, level and history are kept. Send /start to resume.";

    public static string Help =>
        "<b>Commands</b>\n/start – subscribe (or resume) and get today's question\n/stop – stop the daily questions\n"
        + "/stats – your streak, level and accuracy\n/time HH:MM [Area/City] – set your daily delivery time and time zone, e.g. <code>/time 08:30 Europe/Berlin</code>\n"
        + "/report [what is wrong] – report your latest question\n"
        + "/help – this list";

    public static string UnknownText => "I only understand commands. Try /help.";

    public static string SlowDown => "🐢 Slow down a little, please: I'll answer again in a few seconds.";

    public static string BadTimeCommand(string? given) =>
        $"I could not read that time{(string.IsNullOrEmpty(given) ? "" : $" (<code>{Escape(given)}</code>)")}. "
        + "Use <code>/time HH:MM</code> or <code>/time HH:MM Area/City</code>, e.g. <code>/time 08:30 Europe/Berlin</code>. Nothing was changed.";

    public static string UnknownTimeZone(string? zone) =>
        $"I don't know the time zone <code>{Escape(zone ?? "")}</code>. Use an IANA name such as <code>Europe/Berlin</code> or <code>America/New_York</code>. Nothing was changed.";

    public static string ScheduleSet(ScheduleChange change) =>
        $"⏰ Done: your question comes daily at {change.DeliveryTime:HH\\:mm} ({Escape(change.TimeZoneId)}).\nNext one: {When(change.NextDelivery, change.TimeZoneId)}.";

    public static string NoQuestionToday => "😕 There is no question at your level right now. We are on it; you will get one at the next delivery.";

    /// <summary>Stands in for a question that no source knows any more, so that an answer to it is still explained.</summary>
    public static Question MissingQuestion(Learners.QuestionKey key) =>
        new(key.Id, key.Topic, key.Level, "(This question has been removed from the bank since it was sent.)", [], key.CorrectIndex, "", null);

    public static string Question(Question question)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<b>{Escape(question.Topic)}</b> · {question.Level}\n\n")
            .Append(Escape(question.Text)).Append("\n\n");
        for (var i = 0; i < question.Options.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"<b>{Letters[i]}.</b> {Escape(question.Options[i])}\n");
        }

        return Limit(text.ToString().TrimEnd());
    }

    /// <summary>
    /// The answered question with its feedback in one message, which replaces the question in the chat: the question,
    /// the learner's choice and the right one, the explanation, streak, level and the next delivery. Within Telegram's
    /// 4,096 characters: a long explanation is shortened, never the rest.
    /// </summary>
    public static string AnsweredWithFeedback(AnswerOutcome outcome, string timeZoneId)
    {
        var question = outcome.Question!;
        var choice = outcome.Choice;
        var head = new StringBuilder(Question(question)).Append("\n\n");
        head.Append(choice == question.CorrectIndex
            ? $"Your answer: <b>{Letters[choice]}</b> ✅ <b>Correct!</b>"
            : $"Your answer: <b>{Letters[choice]}</b> ❌ · Correct: <b>{Letters[question.CorrectIndex]}</b> ✅");
        if (outcome.Status == AnswerStatus.Late)
        {
            head.Append("\n⏰ <i>A late answer: it shows the explanation but does not count for your streak or level.</i>");
        }

        var tail = new StringBuilder();
        if (question.Reference is { Length: > 0 } reference && Uri.TryCreate(reference, UriKind.Absolute, out _))
        {
            tail.Append(CultureInfo.InvariantCulture, $"\n\n📖 <a href=\"{Escape(reference)}\">Read more</a>");
        }

        tail.Append(CultureInfo.InvariantCulture, $"\n\n🔥 Streak: {Days(outcome.Streak)} · 📈 Level: {outcome.Level}");
        tail.Append(outcome.LevelChange switch
        {
            LevelChange.Promoted => " (promoted! 🎉)",
            LevelChange.Demoted => " (moved down one level)",
            _ => "",
        });
        tail.Append(CultureInfo.InvariantCulture, $"\nNext question: {When(outcome.NextDelivery, timeZoneId)}.");

        var room = MaxMessageLength - head.Length - tail.Length - 2;
        var explanation = Escape(question.Explanation);
        var keep = question.Explanation.Length;
        while (explanation.Length > room && keep > 0)
        {
            keep = Math.Max(0, keep - (explanation.Length - room) - 1);
            explanation = Escape(question.Explanation[..keep]) + "…";
        }

        return Limit($"{head}\n\n{explanation}{tail}");
    }

    public static string Toast(AnswerOutcome outcome) => outcome.Status switch
    {
        AnswerStatus.Counted or AnswerStatus.Late => outcome.IsCorrect ? "✅ Correct!" : "❌ Not quite",
        AnswerStatus.AlreadyAnswered or AnswerStatus.Duplicate => "You have already answered this question.",
        _ => "This question has expired or is not yours to answer.",
    };

    public static string UnknownButton => "This button is not one of mine.";

    public static string ReportButton => "⚑ Report this question";

    public static string ReportThanks => "Thanks: the question is reported and will be reviewed.";

    public static string NothingToReport => "There is no question of yours to report. Reports concern questions you were sent.";

    public static string Stats(LearnerStats stats)
    {
        var text = new StringBuilder("📊 <b>Your progress</b>\n")
            .Append(CultureInfo.InvariantCulture, $"\n🔥 Streak: {Days(stats.Streak)} (best {Days(stats.BestStreak)})")
            .Append(CultureInfo.InvariantCulture, $"\n📈 Level: {stats.Level}")
            .Append(CultureInfo.InvariantCulture, $"\n✔️ Accuracy: {Percent(stats.Correct, stats.Answered)} ({stats.Correct} of {stats.Answered} answered)");
        var topics = stats.Topics.Where(t => t.Answered > 0).ToList();
        if (topics.Count > 0)
        {
            text.Append("\n\n<b>By topic</b>");
            foreach (var topic in topics)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n• {Escape(topic.Topic)}: {Percent(topic.Correct, topic.Answered)} ({topic.Correct}/{topic.Answered})");
            }
        }

        text.Append(stats.NextDelivery is { } next
            ? $"\n\nNext question: {When(next, stats.TimeZoneId)}."
            : "\n\nDaily questions are stopped. Send /start to resume.");
        return Limit(text.ToString());
    }

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Days(int count) => count == 1 ? "1 day" : $"{count} days";

    private static string Percent(int part, int whole) => whole == 0 ? "–" : $"{Math.Round(100.0 * part / whole):0}%";

    private static string When(DateTimeOffset instant, string timeZoneId)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{local:ddd d MMM, HH:mm} ({Escape(zone.Id)})");
    }

    /// <summary>Cuts a text to Telegram's limit; texts are built so that the cut never falls inside a tag in practice.</summary>
    private static string Limit(string html) => html.Length <= MaxMessageLength ? html : html[..(MaxMessageLength - 1)] + "…";
}
