using System.Buffers.Binary;
using Quiz.Conversation;
using Quiz.Progress;
using Quiz.Silo.Charts;

namespace Quiz.Tests.Conversation;

public sealed class ProgressChartTests
{
    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("es")]
    public void AYearOfAnswersDrawsAPngInEveryLanguage(string language)
    {
        var png = ProgressChart.Render(YearOfAnswers(), BotTexts.For(language));

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(ProgressChart.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(ProgressChart.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        Assert.InRange(png.Length, 20_000, 2_000_000);
    }

    [Fact]
    public void OneAnswerIsEnoughToDraw()
    {
        var png = ProgressChart.Render([new AnswerPoint(new DateOnly(2026, 3, 2), true, false, Level.Intermediate, Topics.Streaming)], BotTexts.For("en"));

        Assert.Equal((byte)'P', png[1]);
    }

    /// <summary>A learner who answered every day for a year: a review every third day, levels moving, every topic.</summary>
    internal static IReadOnlyList<AnswerPoint> YearOfAnswers()
    {
        var start = new DateOnly(2025, 12, 1);
        return [.. Enumerable.Range(0, 365).Select(i => new AnswerPoint(
            start.AddDays(i), i % 3 != 0, i % 3 == 1, (Level)(i / 40 % 4), Topics.All[i % Topics.All.Count]))];
    }
}
