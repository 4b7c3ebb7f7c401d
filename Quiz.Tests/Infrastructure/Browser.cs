using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Quiz.Tests.Infrastructure;

/// <summary>Headless Debian Chromium driven through chromedriver, for the tests that look at pages as a person would.</summary>
public static class Browser
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string ChromeDriverDirectory = "/usr/bin";

    public static ChromeDriver Start()
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(Path.Combine(ChromeDriverDirectory, "chromedriver")))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's chromium and chromium-driver ({ChromiumPath}, {ChromeDriverDirectory}/chromedriver): apt-get install chromium chromium-driver (.ci/run does).");
        }

        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1200,1200",
            $"--user-data-dir={Path.Combine(Path.GetTempPath(), $"quiz-chromium-{Guid.NewGuid():N}")}");
        var service = ChromeDriverService.CreateDefaultService(ChromeDriverDirectory, "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Saves a screenshot under <c>TestResults/screenshots/</c>, kept as a test artifact; returns its path.</summary>
    public static string SaveScreenshot(IWebDriver browser, string name)
    {
        var folder = Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(path);
        return path;
    }
}
