using Microsoft.Extensions.Options;

namespace Quiz.Gateway;

/// <summary>How updates reach the gateway.</summary>
public enum UpdateMode
{
    /// <summary>Telegram POSTs updates to <c>/telegram/webhook</c>; the gateway registers the webhook at start-up.</summary>
    Webhook,

    /// <summary>The gateway long-polls <c>getUpdates</c>: for a developer behind NAT.</summary>
    Polling,
}

/// <summary>The gateway's Telegram settings (section <c>Telegram</c>, shared with the silos).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Telegram";

    public string? BotToken { get; set; }

    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    public string? WebhookSecret { get; set; }

    public string? WebhookUrl { get; set; }

    public UpdateMode Mode { get; set; } = UpdateMode.Webhook;

    /// <summary><c>max_connections</c> for <c>setWebhook</c>: how many updates Telegram delivers at once.</summary>
    public int MaxConnections { get; set; } = 40;

    /// <summary>Commands one chat may send per <see cref="FloodWindow"/> before it is asked to slow down.</summary>
    public int FloodLimit { get; set; } = 6;

    public TimeSpan FloodWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Button taps one chat may send per <see cref="FloodWindow"/>, counted apart from commands.</summary>
    public int TapFloodLimit { get; set; } = 20;

    /// <summary>Largest webhook body accepted; Telegram's updates for this bot are a few kilobytes.</summary>
    public int MaxUpdateBytes { get; set; } = 64 * 1024;
}

/// <summary>Start-up validation: every problem names its setting, and no secret value is ever echoed.</summary>
public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BotToken) || !options.BotToken.Contains(':', StringComparison.Ordinal))
        {
            problems.Add("Telegram:BotToken is required and must look like '123456:ABC...' (the token BotFather gave you).");
        }

        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add("Telegram:ApiBaseUrl must be an absolute http(s) URL, e.g. https://api.telegram.org.");
        }

        if (options.Mode == UpdateMode.Webhook
            && (string.IsNullOrEmpty(options.WebhookSecret)
                || options.WebhookSecret.Length > 256
                || !options.WebhookSecret.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            problems.Add("Telegram:WebhookSecret is required in webhook mode: 1-256 characters of A-Z, a-z, 0-9, '_' and '-' (Telegram's rule for secret_token).");
        }
        else if (options.Mode == UpdateMode.Webhook && IsWeakSecret(options.WebhookSecret!))
        {
            problems.Add($"Telegram:WebhookSecret is too weak: use at least {MinSecretLength} random characters (e.g. `openssl rand -hex 32`), not an example value.");
        }

        if (options.Mode == UpdateMode.Webhook
            && (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var hook) || (hook.Scheme != Uri.UriSchemeHttps && hook.Scheme != Uri.UriSchemeHttp)))
        {
            problems.Add("Telegram:WebhookUrl must be the absolute public URL of /telegram/webhook when Telegram:Mode is Webhook.");
        }

        if (options.MaxConnections is < 1 or > 100)
        {
            problems.Add("Telegram:MaxConnections must be between 1 and 100.");
        }

        if (options.FloodLimit < 1 || options.TapFloodLimit < 1 || options.FloodWindow <= TimeSpan.Zero)
        {
            problems.Add("Telegram:FloodLimit and Telegram:TapFloodLimit must be at least 1 and Telegram:FloodWindow positive.");
        }

        if (options.MaxUpdateBytes is < 1024 or > 1024 * 1024)
        {
            problems.Add("Telegram:MaxUpdateBytes must be between 1024 and 1048576.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public const int MinSecretLength = 32;

    /// <summary>Words of the placeholders that example files and guides use in place of a secret.</summary>
    private static readonly string[] PlaceholderWords = ["change", "example", "placeholder", "replace", "secret", "your", "xxxx"];

    /// <summary>Shorter than <see cref="MinSecretLength"/>, one repeated character, or a placeholder left in.</summary>
    private static bool IsWeakSecret(string secret) =>
        secret.Length < MinSecretLength
        || secret.Distinct().Count() < 8
        || PlaceholderWords.Any(word => secret.Contains(word, StringComparison.OrdinalIgnoreCase));
}
