using System.Net;
using System.Security.Cryptography;
using System.Text;
using Orleans.Dashboard;

namespace Quiz.Silo;

/// <summary>
/// The Orleans dashboard's route and who may see it. In local mode (embedded silo) it is open on loopback; elsewhere
/// it needs <c>Dashboard:Username</c> and <c>Dashboard:Password</c> (HTTP basic authentication, over TLS or a
/// port-forward), and without them it is not served at all. Outside local mode its log stream is not served, and an
/// address that fails to sign in <see cref="SignInThrottle.MaxFailures"/> times is refused for a while.
/// </summary>
public static class DashboardAccess
{
    public const string Route = "/dashboard";

    public static void MapQuizDashboard(this WebApplication app, bool localMode)
    {
        var username = app.Configuration["Dashboard:Username"];
        var password = app.Configuration["Dashboard:Password"];
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Quiz.Silo.Dashboard");
        var hasCredentials = !string.IsNullOrEmpty(username) && !string.IsNullOrEmpty(password);
        if (!localMode && !hasCredentials)
        {
            log.LogInformation("The Orleans dashboard is off: set Dashboard:Username and Dashboard:Password to serve it at {Route}.", Route);
            return;
        }

        var throttle = new SignInThrottle(TimeProvider.System);
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Route), branch => branch.Use(async (context, next) =>
        {
            var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
            if (hasCredentials && throttle.IsLockedOut(address))
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = ((int)SignInThrottle.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return;
            }

            var allowed = hasCredentials
                ? HasCredentials(context.Request.Headers.Authorization.ToString(), username!, password!)
                : IPAddress.IsLoopback(address);
            if (hasCredentials && !allowed && context.Request.Headers.Authorization.Count > 0)
            {
                throttle.Failed(address);
            }

            if (!localMode && context.Request.Path.StartsWithSegments(Route + "/Trace", StringComparison.OrdinalIgnoreCase))
            {
                // The live log stream, hidden from the menu by HideTrace, is not served either.
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            if (!allowed)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                if (hasCredentials)
                {
                    context.Response.Headers.WWWAuthenticate = "Basic realm=\"Orleans dashboard\"";
                }

                return;
            }

            await next(context);
        }));
        app.MapOrleansDashboard(Route);
        log.LogInformation("The Orleans dashboard is served at {Route} ({Access}).", Route, hasCredentials ? "basic authentication" : "loopback only");
    }

    private static bool HasCredentials(string header, string username, string password)
    {
        const string Scheme = "Basic ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var given = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Convert.FromBase64String(header[Scheme.Length..].Trim())));
            return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes($"{username}:{password}"));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
