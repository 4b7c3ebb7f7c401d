using Microsoft.Extensions.Options;
using Quiz.Sending;

namespace Quiz.Silo;

/// <summary>Stops start-up when a sending setting of an earlier version is still set, rather than ignore it silently.</summary>
public sealed class RenamedSettingValidator : IValidateOptions<SendingOptions>
{
    private static readonly (string Old, string Now)[] Renamed =
    [
        ("Telegram:MaxMessagesPerSecond", "Telegram:BroadcastPerSecond"),
        ("Telegram:MaxDailyQueueWait", "nothing: daily questions no longer wait in a grain for a sending slot"),
    ];

    private readonly IConfiguration _configuration;

    public RenamedSettingValidator(IConfiguration configuration)
    {
        _configuration = configuration;
    }

    public ValidateOptionsResult Validate(string? name, SendingOptions options)
    {
        var stale = Renamed.Where(r => _configuration[r.Old] is not null).Select(r => $"{r.Old} is no longer read; it was replaced by {r.Now}.").ToList();
        return stale.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(stale);
    }
}
