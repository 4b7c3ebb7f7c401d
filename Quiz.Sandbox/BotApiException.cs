namespace Quiz.Sandbox;

/// <summary>An error answered the way the Bot API answers it: <c>{"ok":false,"error_code":N,"description":"..."}</c>.</summary>
internal sealed class BotApiException : Exception
{
    public BotApiException()
        : this(500, "Internal Server Error")
    {
    }

    public BotApiException(string description)
        : this(400, description)
    {
    }

    public BotApiException(string description, Exception innerException)
        : base(description, innerException)
    {
        ErrorCode = 500;
    }

    public BotApiException(int errorCode, string description, int? retryAfter = null)
        : base(description)
    {
        ErrorCode = errorCode;
        RetryAfter = retryAfter;
    }

    public int ErrorCode { get; }

    public int? RetryAfter { get; }

    /// <summary>Telegram's description for a status code that a test forces.</summary>
    public static BotApiException ForStatus(int statusCode, string? description = null) => statusCode switch
    {
        429 when description is null => TooManyRequests(1),
        429 => new BotApiException(429, description, 1),
        _ => new BotApiException(statusCode, description ?? DefaultDescription(statusCode)),
    };

    /// <summary>Telegram's flood-control answer: wait <paramref name="retryAfter"/> seconds before repeating the request.</summary>
    public static BotApiException TooManyRequests(int retryAfter) =>
        new(429, $"Too Many Requests: retry after {retryAfter}", retryAfter);

    private static string DefaultDescription(int statusCode) => statusCode switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Error",
    };
}
