using System.Globalization;

namespace Quiz.Gateway;

/// <summary>The arguments of <c>/time HH:MM [Area/City]</c>.</summary>
public sealed record TimeCommand(TimeOnly DeliveryTime, string? TimeZoneId)
{
    /// <summary>Parses the arguments; on failure <paramref name="error"/> says which reply to give.</summary>
    public static bool TryParse(string arguments, out TimeCommand? command, out ChatReply error)
    {
        command = null;
        error = ChatReply.BadTimeCommand;
        var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2
            || !TimeOnly.TryParseExact(parts[0], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return false;
        }

        string? zone = null;
        if (parts.Length == 2)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(parts[1], out var found))
            {
                error = ChatReply.UnknownTimeZone;
                return false;
            }

            zone = found.Id;
        }

        command = new TimeCommand(time, zone);
        return true;
    }
}
