using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Quiz.Tests.Infrastructure;
using Quiz.Tests.Telegram;

namespace Quiz.Tests.Operations;

/// <summary>The silo host as operators run it: its mode, health, metrics and dashboard.</summary>
public sealed class SiloHostTests
{
    [Fact]
    public async Task EmbeddedSiloAnnouncesItIsNotDurableAndServesHealthMetricsAndTheDashboard()
    {
        await using var silo = SiloProcess.Start(FreePort());
        await silo.WaitUntilLiveAsync(TimeSpan.FromSeconds(90));
        using var http = new HttpClient();

        Assert.Contains("NOT DURABLE", silo.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(silo.Url, "/health/ready"))).StatusCode);
        var metrics = await http.GetStringAsync(new Uri(silo.Url, "/metrics"));
        Assert.Contains("# TYPE", metrics, StringComparison.Ordinal);

        using var host = Host.CreateDefaultBuilder()
            .UseOrleansClient(client => client.UseLocalhostClustering())
            .Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IClusterClient>();
        for (var learner = 1; learner <= 3; learner++)
        {
            var result = await grains.GetGrain<IUserGrain>(learner).SubscribeAsync(new Subscription(learner, "en"));
            Assert.Equal(DeliveryStatus.Sent, result.Delivery.Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(silo.Url, "/dashboard"))).StatusCode);
        using var browser = Browser.Start();
        browser.Navigate().GoToUrl(new Uri(silo.Url, "/dashboard/"));
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(60));
        browser.Navigate().GoToUrl(new Uri(silo.Url, "/dashboard/#/grains"));
        wait.Until(b => b.FindElement(By.TagName("body")).Text.Contains("UserGrain", StringComparison.Ordinal));
        Browser.SaveScreenshot(browser, "dashboard.png");
        await host.StopAsync();
    }

    [Fact]
    public async Task DashboardOutsideLocalModeNeedsCredentials()
    {
        var postgres = await SharedPostgres.GetAsync();
        await using var silo = SiloProcess.Start(FreePort(), new Dictionary<string, string>
        {
            ["ConnectionStrings__Quiz"] = postgres.ConnectionString,
            ["Orleans__ClusterId"] = $"dash-{Guid.NewGuid():N}",
            ["Orleans__ServiceId"] = $"dash-{Guid.NewGuid():N}",
            ["Dashboard__Username"] = "ops",
            ["Dashboard__Password"] = "s3cret",
        });
        await silo.WaitUntilLiveAsync(TimeSpan.FromSeconds(90));
        using var http = new HttpClient();

        var anonymous = await http.GetAsync(new Uri(silo.Url, "/dashboard"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.Url, "/dashboard/"));
        request.Headers.Authorization = new("Basic", Convert.ToBase64String("ops:s3cret"u8.ToArray()));
        var authorized = await http.SendAsync(request);

        using var trace = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.Url, "/dashboard/Trace"));
        trace.Headers.Authorization = new("Basic", Convert.ToBase64String("ops:s3cret"u8.ToArray()));
        var logStream = await http.SendAsync(trace);
        var guesses = new List<HttpStatusCode>();
        for (var guess = 0; guess < 6; guess++)
        {
            using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.Url, "/dashboard/"));
            wrong.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"ops:guess{guess}")));
            guesses.Add((await http.SendAsync(wrong)).StatusCode);
        }

        using var afterGuesses = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.Url, "/dashboard/"));
        afterGuesses.Headers.Authorization = new("Basic", Convert.ToBase64String("ops:s3cret"u8.ToArray()));
        var lockedOut = await http.SendAsync(afterGuesses);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, logStream.StatusCode);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests], guesses);
        Assert.Equal(HttpStatusCode.TooManyRequests, lockedOut.StatusCode);
        Assert.Contains("PostgreSQL mode", silo.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(silo.Url, "/health/ready"))).StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
