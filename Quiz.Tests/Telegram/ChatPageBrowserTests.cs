using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Telegram;

/// <summary>A person's path through the local sandbox, in headless Chromium: /start, a question, a tap, the feedback, /stats.</summary>
[Collection(TelegramEdgeCollection.Name)]
public sealed class ChatPageBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string ChromeDriverDirectory = "/usr/bin";
    private readonly TelegramEdgeFixture _edge;

    public ChatPageBrowserTests(TelegramEdgeFixture edge)
    {
        _edge = edge;
    }

    [Fact]
    public void PersonStartsAnswersAndReadsFeedbackOnTheChatPage()
    {
        using var browser = StartBrowser();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        var user = TelegramEdgeFixture.NewUserId();
        browser.Navigate().GoToUrl(new Uri(_edge.SandboxUrl, $"/?userId={user}"));

        Send(browser, wait, "/start");
        var buttons = wait.Until(b => b.FindElements(By.CssSelector(".message.bot .keyboard button")) is { Count: 5 } found ? found : null);
        Assert.Equal(["A", "B", "C", "D"], buttons.Take(4).Select(b => b.Text.Trim()));
        buttons[1].Click();

        var feedback = wait.Until(b => b.FindElements(By.CssSelector(".message.bot")).LastOrDefault(m => m.Text.Contains("Streak", StringComparison.Ordinal)));
        Assert.Matches("Correct!|Not quite", feedback.Text);
        Send(browser, wait, "/stats");
        wait.Until(b => b.FindElements(By.CssSelector(".message.bot")).Any(m => m.Text.Contains("Your progress", StringComparison.Ordinal)));

        var screenshots = Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");
        Directory.CreateDirectory(screenshots);
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Path.Combine(screenshots, "chat-page.png"));
    }

    private static void Send(IWebDriver browser, WebDriverWait wait, string text)
    {
        var input = wait.Until(b => b.FindElement(By.Id("input")));
        input.Clear();
        input.SendKeys(text);
        browser.FindElement(By.Id("send")).Click();
        wait.Until(b => b.FindElements(By.CssSelector(".message.user")).Any(m => m.Text.Contains(text, StringComparison.Ordinal)));
    }

    private static ChromeDriver StartBrowser()
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(Path.Combine(ChromeDriverDirectory, "chromedriver")))
        {
            throw new InvalidOperationException(
                $"The browser test needs Debian's chromium and chromium-driver ({ChromiumPath}, {ChromeDriverDirectory}/chromedriver): apt-get install chromium chromium-driver (.ci/run does).");
        }

        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1000,1200",
            $"--user-data-dir={Path.Combine(Path.GetTempPath(), $"quiz-chromium-{Guid.NewGuid():N}")}");
        var service = ChromeDriverService.CreateDefaultService(ChromeDriverDirectory, "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}
