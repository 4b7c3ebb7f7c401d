using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Telegram;

/// <summary>A person's path through the local sandbox, in headless Chromium: /start, a question, a tap, the feedback, /stats and its chart.</summary>
[Collection(TelegramEdgeCollection.Name)]
public sealed class ChatPageBrowserTests
{
    private readonly TelegramEdgeFixture _edge;

    public ChatPageBrowserTests(TelegramEdgeFixture edge)
    {
        _edge = edge;
    }

    [Fact]
    public void PersonStartsAnswersAndReadsFeedbackOnTheChatPage()
    {
        using var browser = Browser.Start();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        var user = TelegramEdgeFixture.NewUserId();
        browser.Navigate().GoToUrl(new Uri(_edge.SandboxUrl, $"/?userId={user}"));

        Send(browser, wait, "/start");
        var buttons = wait.Until(b => b.FindElements(By.CssSelector(".message.bot .keyboard button")) is { Count: 5 } found ? found : null);
        Assert.Equal(["A", "B", "C", "D"], buttons.Take(4).Select(b => b.Text.Trim()));
        buttons[1].Click();

        var feedback = wait.Until(b => b.FindElements(By.CssSelector(".message.bot")).LastOrDefault(m => m.Text.Contains("Streak", StringComparison.Ordinal)));
        Assert.Matches("Your answer: B (✅ Correct!|❌ · Correct: [ACD] ✅)", feedback.Text);
        Send(browser, wait, "/stats");
        wait.Until(b => b.FindElements(By.CssSelector(".message.bot")).Any(m => m.Text.Contains("Your progress", StringComparison.Ordinal)));
        var chart = wait.Until(b => b.FindElements(By.CssSelector(".message.bot img.photo")).FirstOrDefault(img =>
            Convert.ToInt64(((IJavaScriptExecutor)b).ExecuteScript("return arguments[0].complete ? arguments[0].naturalWidth : 0;", img), System.Globalization.CultureInfo.InvariantCulture) > 0));
        Assert.Equal(900L, ((IJavaScriptExecutor)browser).ExecuteScript("return arguments[0].naturalWidth;", chart));
        Assert.Contains("accuracy per week", chart.FindElement(By.XPath("..")).Text, StringComparison.OrdinalIgnoreCase);

        Browser.SaveScreenshot(browser, "chat-page.png");
    }

    private static void Send(IWebDriver browser, WebDriverWait wait, string text)
    {
        var input = wait.Until(b => b.FindElement(By.Id("input")));
        input.Clear();
        input.SendKeys(text);
        browser.FindElement(By.Id("send")).Click();
        wait.Until(b => b.FindElements(By.CssSelector(".message.user")).Any(m => m.Text.Contains(text, StringComparison.Ordinal)));
    }
}
