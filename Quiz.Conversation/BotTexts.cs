using System.Globalization;
using System.Net;
using System.Text;

namespace Quiz.Conversation;

/// <summary>
/// Renders what the bot says into Telegram HTML in one language: the one place where a message and its arguments
/// become text. The wording is in <c>Resources/Texts*.resx</c>; anything that comes from data is escaped, and no
/// message exceeds Telegram's limits (4,096 characters a message, 200 a toast).
/// </summary>
public sealed class BotTexts
{
    /// <summary>Telegram's limit on a message's text (https://core.telegram.org/bots/api#sendmessage).</summary>
    public const int MaxMessageLength = 4096;

    /// <summary>Telegram's limit on a toast (https://core.telegram.org/bots/api#answercallbackquery).</summary>
    public const int MaxToastLength = 200;

    /// <summary>Telegram's limit on a photo's caption (https://core.telegram.org/bots/api#sendphoto).</summary>
    public const int MaxCaptionLength = 1024;

    private static readonly string[] Letters = ["A", "B", "C", "D"];
    private static readonly Dictionary<string, BotTexts> ByCode = Language.All.ToDictionary(l => l.Code, l => new BotTexts(l));

    private readonly TextCatalog _texts;

    private BotTexts(Language language)
    {
        _texts = new TextCatalog(language);
    }

    public Language Language => _texts.Language;

    /// <summary>The texts in the language of <paramref name="tag"/> (a code the bot knows, or Telegram's tag), English otherwise.</summary>
    public static BotTexts For(string? tag) => ByCode[Language.For(tag).Code];

    public static BotTexts For(Language language) => ByCode[language.Code];

    public static string Letter(int option) => Letters[option];

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    public string Welcome(bool isNewLearner, bool questionFollows) =>
        $"{_texts.Get(isNewLearner ? "welcome.new" : "welcome.back")}\n\n"
        + $"{_texts.Get("welcome.rules", ("time", "10:00 UTC"))}\n\n"
        + _texts.Get(questionFollows ? "welcome.question-follows" : "welcome.question-above");

    /// <summary>A reply that changes nothing; <paramref name="detail"/> is what the learner sent, quoted back where the reply names it.</summary>
    public string Reply(ChatReply reply, string? detail) => reply switch
    {
        ChatReply.Help => Help,
        ChatReply.SlowDown => SlowDown,
        ChatReply.BadTimeCommand => BadTimeCommand(detail),
        ChatReply.UnknownTimeZone => UnknownTimeZone(detail),
        ChatReply.BadDailyCommand => BadDailyCommand,
        _ => UnknownText,
    };

    public string Goodbye => _texts.Get("goodbye");

    public string Help => $"{_texts.Get("help")}\n\n{_texts.Get("help.question-languages")}";

    public string UnknownText => _texts.Get("unknown-text");

    public string SlowDown => _texts.Get("slow-down");

    public string BadTimeCommand(string? given) => string.IsNullOrEmpty(given)
        ? _texts.Get("bad-time")
        : _texts.Get("bad-time.quoted", ("given", Escape(given)));

    public string UnknownTimeZone(string? zone) => _texts.Get("unknown-zone", ("zone", Escape(zone ?? "")));

    public string ScheduleSet(ScheduleChange change) => _texts.Get(
        "schedule-set",
        ("time", change.DeliveryTime.ToString("HH:mm", CultureInfo.InvariantCulture)),
        ("zone", Escape(change.TimeZoneId)),
        ("next", When(change.NextDelivery, change.TimeZoneId)));

    public string NoQuestionToday => _texts.Get("no-question");

    /// <summary>Stands in for a question that no source knows any more, so that an answer to it is still explained.</summary>
    public Question MissingQuestion(string id, string topic, Level level, int correctIndex) =>
        new(id, topic, level, _texts.Get("missing-question"), [], correctIndex, "", null);

    /// <summary>A question as sent; a review says so and names the day it was first missed.</summary>
    public string Question(Question question, DateOnly? reviewOf = null)
    {
        question = question.In(Language.Code);
        var header = reviewOf is { } missed
            ? _texts.Get("question.review-header", ("topic", Escape(Topic(question.Topic))), ("level", LevelName(question.Level)), ("day", Day(missed)))
            : _texts.Get("question.header", ("topic", Escape(Topic(question.Topic))), ("level", LevelName(question.Level)));
        var text = new StringBuilder(header).Append("\n\n").Append(Escape(question.Text)).Append("\n\n");
        for (var i = 0; i < question.Options.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"<b>{Letters[i]}.</b> {Escape(question.Options[i])}\n");
        }

        return Limit(text.ToString().TrimEnd());
    }

    public string ReportButton => _texts.Get("report.button");

    /// <summary>
    /// The answered question with its feedback in one message, which replaces the question in the chat: the question,
    /// the learner's choice and the right one, the explanation, streak, level and the next delivery. Within Telegram's
    /// 4,096 characters: a long explanation is shortened, never the rest.
    /// </summary>
    public string AnsweredWithFeedback(AnswerOutcome outcome, string timeZoneId)
    {
        var question = outcome.Question!.In(Language.Code);
        var choice = outcome.Choice;
        var head = new StringBuilder(Question(question, outcome.ReviewOf)).Append("\n\n");
        head.Append(choice == question.CorrectIndex
            ? _texts.Get("answer.correct", ("choice", Letters[choice]))
            : _texts.Get("answer.wrong", ("choice", Letters[choice]), ("correct", Letters[question.CorrectIndex])));
        if (outcome.Status == AnswerStatus.Late)
        {
            head.Append('\n').Append(_texts.Get("answer.late"));
        }

        if (!outcome.Achievements.IsDefaultOrEmpty)
        {
            head.Append('\n').Append(_texts.Get("answer.achievements", ("names", string.Join(" · ", outcome.Achievements.Select(AchievementName)))));
        }

        if (outcome.ReviewOf is not null)
        {
            head.Append('\n').Append(outcome.NextReview is { } again
                ? _texts.Get("answer.review-again", ("day", Day(again)))
                : _texts.Get("answer.review-learned"));
        }
        else if (outcome.NextReview is { } comesBack)
        {
            head.Append('\n').Append(_texts.Get("answer.comes-back", ("day", Day(comesBack))));
        }

        var tail = new StringBuilder();
        if (question.Reference is { Length: > 0 } reference && Uri.TryCreate(reference, UriKind.Absolute, out _))
        {
            tail.Append("\n\n").Append(_texts.Get("answer.read-more", ("url", Escape(reference))));
        }

        tail.Append("\n\n").Append(_texts.Get("answer.progress", ("streak", Days(outcome.Streak)), ("level", LevelName(outcome.Level))));
        tail.Append(outcome.LevelChange switch
        {
            LevelChange.Promoted => _texts.Get("answer.promoted"),
            LevelChange.Demoted => _texts.Get("answer.demoted"),
            _ => "",
        });
        tail.Append('\n').Append(_texts.Get("next-question", ("when", When(outcome.NextDelivery, timeZoneId))));

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

    public string Toast(AnswerOutcome outcome) => _texts.Get(outcome.Status switch
    {
        AnswerStatus.Counted or AnswerStatus.Late => outcome.IsCorrect ? "toast.correct" : "toast.wrong",
        AnswerStatus.AlreadyAnswered or AnswerStatus.Duplicate => "toast.already-answered",
        _ => "toast.not-open",
    });

    public string UnknownButton => _texts.Get("unknown-button");

    public string SlowDownToast => _texts.Get("slow-down.toast");

    public string ReportThanks => _texts.Get("report.thanks");

    public string NothingToReport => _texts.Get("report.nothing");

    public string Stats(LearnerStats stats)
    {
        var text = new StringBuilder(_texts.Get("stats.title")).Append('\n')
            .Append('\n').Append(_texts.Get("stats.streak", ("streak", Days(stats.Streak)), ("best", Days(stats.BestStreak))))
            .Append('\n').Append(_texts.Get("stats.level", ("level", LevelName(stats.Level))))
            .Append('\n').Append(_texts.Get(
                "stats.accuracy",
                ("percent", Percent(stats.Correct, stats.Answered)),
                ("correct", Number(stats.Correct)),
                ("answered", Number(stats.Answered))))
            .Append('\n').Append(_texts.Get("stats.reviews", ("due", _texts.Plural("reviews-due", stats.ReviewsDue)), ("done", Number(stats.ReviewsDone))))
            .Append('\n').Append(_texts.Get("stats.freezes", ("freezes", _texts.Plural("freezes", stats.FreezesHeld))));
        var topics = stats.Topics.Where(t => t.Answered > 0).ToList();
        if (topics.Count > 0)
        {
            text.Append("\n\n").Append(_texts.Get("stats.by-topic"));
            foreach (var topic in topics)
            {
                text.Append('\n').Append(_texts.Get(
                    "stats.topic",
                    ("topic", Escape(Topic(topic.Topic))),
                    ("percent", Percent(topic.Correct, topic.Answered)),
                    ("correct", Number(topic.Correct)),
                    ("answered", Number(topic.Answered))));
            }
        }

        text.Append("\n\n").Append(stats.NextDelivery is { } next
            ? _texts.Get("next-question", ("when", When(next, stats.TimeZoneId)))
            : _texts.Get("stats.stopped"));
        return Limit(text.ToString());
    }

    /// <summary><c>/achievements</c>: every achievement of the catalogue, those earned ticked with their date.</summary>
    public string AchievementsList(IReadOnlyList<string> catalogue, IReadOnlyDictionary<string, DateOnly> earned)
    {
        var text = new StringBuilder(_texts.Get("achievements.title")).Append('\n');
        foreach (var achievement in catalogue)
        {
            text.Append('\n').Append(earned.TryGetValue(achievement, out var day)
                ? _texts.Get("achievements.earned", ("name", AchievementName(achievement)), ("day", Day(day)))
                : _texts.Get("achievements.open", ("name", AchievementName(achievement))));
        }

        return Limit(text.ToString());
    }

    /// <summary>An achievement's name (ids as <c>Rules.Achievements</c> makes them: <c>streak-7</c>, <c>level-expert</c>, <c>mastery-streaming</c>).</summary>
    public string AchievementName(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        var (kind, rest) = dash < 0 ? (id, "") : (id[..dash], id[(dash + 1)..]);
        return kind switch
        {
            "streak" when int.TryParse(rest, System.Globalization.CultureInfo.InvariantCulture, out var days) => _texts.Get("achievement.streak", ("days", Days(days))),
            "level" when Enum.TryParse<Level>(rest, ignoreCase: true, out var level) => _texts.Get("achievement.level", ("level", LevelName(level))),
            "mastery" when Quiz.Topics.All.FirstOrDefault(t => t.ToLowerInvariant().Replace(' ', '-') == rest) is { } topic =>
                _texts.Get("achievement.mastery", ("topic", Escape(Topic(topic)))),
            _ => _texts.Get("achievement." + id),
        };
    }

    /// <summary><c>/top</c>: the three tops, each a line a place; a learner not opted in is told how to be.</summary>
    public string Top(IReadOnlyList<(int Rank, string Name, int Correct)> day, IReadOnlyList<(int Rank, string Name, int Correct)> week,
        IReadOnlyList<(int Rank, string Name, int Correct)> month, bool optedIn)
    {
        var text = Tops("top.title", day, week, month);
        return Limit(optedIn ? text : text + "\n\n" + _texts.Get("top.opted-out"));
    }

    /// <summary><c>/top</c> in a group: the group's own tops.</summary>
    public string GroupTop(IReadOnlyList<(int Rank, string Name, int Correct)> day, IReadOnlyList<(int Rank, string Name, int Correct)> week,
        IReadOnlyList<(int Rank, string Name, int Correct)> month) => Limit(Tops("group.top.title", day, week, month));

    public string GroupOffer => _texts.Get("group.offer");

    public string GroupHelp => _texts.Get("group.help");

    public string GroupAdminsOnly => _texts.Get("group.admins-only");

    public string GroupAdminUnknown => _texts.Get("group.admin-unknown");

    public string GroupDailyOn(TimeOnly time, string timeZoneId) =>
        _texts.Get("group.daily-on", ("time", time.ToString("HH:mm", CultureInfo.InvariantCulture)), ("zone", Escape(timeZoneId)));

    public string GroupDailyOff => _texts.Get("group.daily-off");

    public string BadDailyCommand => _texts.Get("group.bad-daily");

    public string GroupToast(bool isCorrect, int choice) => _texts.Get(isCorrect ? "group.toast.correct" : "group.toast.wrong", ("choice", Letters[choice]));

    public string GroupAlreadyAnswered(int choice) => _texts.Get("group.toast.already", ("choice", Letters[choice]));

    public string GroupRoundClosed => _texts.Get("group.toast.closed");

    /// <summary>
    /// A group's question once its round is over, in place of the question: the question, the right answer, the
    /// explanation, how many chose each option and who was right (the first 30 names, then how many more).
    /// </summary>
    public string GroupTally(Question question, IReadOnlyList<int> choices, IReadOnlyList<string> rightNames)
    {
        const int NamesShown = 30;
        question = question.In(Language.Code);
        var counts = string.Join(" · ", choices.Select((count, option) => $"{Letters[option]} {Number(count)}"));
        var names = string.Join(", ", rightNames.Take(NamesShown).Select(Escape));
        if (rightNames.Count > NamesShown)
        {
            names += " " + _texts.Get("group.tally.more", ("count", Number(rightNames.Count - NamesShown)));
        }

        var tally = new StringBuilder(_texts.Get("group.tally.answer", ("correct", Letters[question.CorrectIndex])))
            .Append("\n\n").Append(Escape(question.Explanation))
            .Append("\n\n").Append(_texts.Get("group.tally.counts", ("counts", counts)))
            .Append('\n').Append(rightNames.Count == 0 ? _texts.Get("group.tally.nobody-right") : _texts.Get("group.tally.right", ("names", names)));
        return Limit($"{Question(question)}\n\n{tally}");
    }

    private string Tops(string titleKey, IReadOnlyList<(int Rank, string Name, int Correct)> day, IReadOnlyList<(int Rank, string Name, int Correct)> week,
        IReadOnlyList<(int Rank, string Name, int Correct)> month)
    {
        var text = new StringBuilder(_texts.Get(titleKey));
        foreach (var (title, entries) in new[] { ("top.day", day), ("top.week", week), ("top.month", month) })
        {
            text.Append("\n\n").Append(_texts.Get(title));
            if (entries.Count == 0)
            {
                text.Append('\n').Append(_texts.Get("top.empty"));
            }

            foreach (var (rank, name, correct) in entries)
            {
                text.Append('\n').Append(_texts.Get("top.line", ("rank", Number(rank)), ("name", Escape(name)), ("correct", Number(correct))));
            }
        }

        return text.ToString();
    }

    public string TierName(int tier) => _texts.Get("league.tier." + tier.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>/league</c>: the league's table, the learner's own line in bold, after the week's rules.</summary>
    public string LeagueTable(LeagueTable table, long learnerId, bool justJoined)
    {
        var tier = TierName(table.League.Tier);
        var text = new StringBuilder();
        if (justJoined)
        {
            text.Append(_texts.Get("league.joined", ("tier", tier))).Append("\n\n");
        }

        text.Append(_texts.Get("league.title", ("tier", tier), ("week", table.League.Week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))))
            .Append('\n').Append(_texts.Get(table.IsSettled ? "league.settled" : "league.rules")).Append('\n');
        foreach (var row in table.Rows)
        {
            text.Append('\n').Append(_texts.Get(row.LearnerId == learnerId ? "league.line-me" : "league.line",
                ("place", Number(row.Place)), ("name", Escape(row.Name)), ("correct", Number(row.Correct))));
        }

        return Limit(text.ToString());
    }

    /// <summary>The end of a league week: the learner's place and where they go, and whether a new league awaits them.</summary>
    public string LeagueWeekEnded(LeagueResult result, bool inNewLeague)
    {
        var text = _texts.Get("league.ended", ("place", Number(result.Place)), ("members", Number(result.Members)),
            ("tier", TierName(result.League.Tier)), ("correct", Number(result.Correct)));
        var move = result.Move switch
        {
            LeagueMove.Up => "league.move.up",
            LeagueMove.Down => "league.move.down",
            _ => "league.move.stay",
        };
        text += "\n" + _texts.Get(move, ("tier", TierName(result.NextTier)));
        return inNewLeague ? text + "\n\n" + _texts.Get("league.next") : text;
    }

    public string LeagueLeft => _texts.Get("league.left");

    public string NotInLeague => _texts.Get("league.not-in");

    public string BadLeagueCommand => _texts.Get("league.bad");

    public string TopOn => _texts.Get("top.on");

    public string TopOff => _texts.Get("top.off");

    public string BadTopCommand => _texts.Get("top.bad");

    public string StatsChartCaption => _texts.Get("stats.chart-caption");

    /// <summary>A chart's title or axis label: plain text, not HTML.</summary>
    public string ChartLabel(string key) => _texts.Get("chart." + key);

    public string LanguageName => _texts.Get("language.name");

    public string LanguageChoice => _texts.Get("lang.choose", ("language", LanguageName));

    public string LanguageSet => _texts.Get("lang.set");

    public string UnknownLanguage(string given) => _texts.Get("lang.unknown", ("given", Escape(given)));

    public string TopicsChoice => _texts.Get("topics.choose");

    /// <summary>One button a topic, marked on or off; a tap switches it (<see cref="SettingsCallback.Topic"/>).</summary>
    public List<List<InlineButton>> TopicsKeyboard(IReadOnlyCollection<string> topicsOff) =>
        [.. Quiz.Topics.All.Select((topic, index) => new List<InlineButton>
        {
            new($"{(topicsOff.Contains(topic) ? "⬜" : "✅")} {Topic(topic)}", SettingsCallback.Topic(index)),
        })];

    /// <summary>One button a language, each named in itself (<see cref="SettingsCallback.Language"/>).</summary>
    public static List<List<InlineButton>> LanguagesKeyboard() =>
        [[.. Language.All.Select(l => new InlineButton(For(l).LanguageName, SettingsCallback.Language(l.Code)))]];

    public string LastTopicStaysOn => _texts.Get("topics.last-one");

    public string TopicsSaved => _texts.Get("topics.saved");

    public string NudgeOn => _texts.Get("nudge.on");

    public string NudgeOff => _texts.Get("nudge.off");

    public string BadNudgeCommand => _texts.Get("nudge.bad");

    public string Nudge => _texts.Get("nudge.reminder");

    /// <summary>A topic's name in this language; a topic the texts do not know keeps its own name.</summary>
    public string Topic(string topic)
    {
        var key = "topic." + topic.ToLowerInvariant().Replace(' ', '-');
        return Topics.All.Contains(topic) ? _texts.Get(key) : topic;
    }

    public string LevelName(Level level) => _texts.Get("level." + level.ToString().ToLowerInvariant());

    public string Days(int count) => _texts.Plural("days", count);

    private string Number(int value) => value.ToString("N0", Language.Culture);

    private string Percent(int part, int whole) =>
        whole == 0 ? "–" : ((double)part / whole).ToString("P0", Language.Culture);

    private string Day(DateOnly day) => day.ToString("d MMMM", Language.Culture);

    private string When(DateTimeOffset instant, string timeZoneId)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return $"{local.ToString("ddd d MMM, HH:mm", Language.Culture)} ({Escape(zone.Id)})";
    }

    /// <summary>Cuts a text to Telegram's limit; texts are built so that the cut never falls inside a tag in practice.</summary>
    private static string Limit(string html) => html.Length <= MaxMessageLength ? html : html[..(MaxMessageLength - 1)] + "…";
}
