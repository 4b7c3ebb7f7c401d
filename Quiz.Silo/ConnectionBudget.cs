using System.Globalization;

namespace Quiz.Silo;

/// <summary>
/// How a silo's PostgreSQL connections (<c>Database:MaxConnections</c>, 44 by default) are shared among its pools, each
/// bounded so that a burst waits for a connection instead of opening one per tick until the server refuses
/// ("53300: sorry, too many clients already"). Grain state takes what the others leave; the others keep today's
/// proportions with a floor. Operators size <c>max_connections</c> as silos × this + gateways × <see cref="Gateway"/> +
/// the schema job and operator commands (docs/operations.md, "Connections").
/// </summary>
public sealed record ConnectionBudget(int State, int Reminders, int Clustering, int Queries)
{
    public const string SettingName = "Database:MaxConnections";
    public const int DefaultTotal = 44;
    public const int MinimumTotal = 6;
    public const int MaximumTotal = 1000;

    /// <summary>A gateway's connections: it only reads the membership table to find the silos.</summary>
    public const int Gateway = 4;

    public int Total => State + Reminders + Clustering + Queries;

    public static ConnectionBudget Split(int total)
    {
        var reminders = Math.Max(1, total * 8 / DefaultTotal);
        var clustering = Math.Max(1, total * 4 / DefaultTotal);
        var queries = Math.Max(2, total * 8 / DefaultTotal);
        return new ConnectionBudget(total - reminders - clustering - queries, reminders, clustering, queries);
    }

    /// <summary>The budget a setting asks for; a value that is not a whole number from 6 to 1000 stops start-up, naming the setting.</summary>
    public static ConnectionBudget FromSetting(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Split(DefaultTotal);
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var total) || total is < MinimumTotal or > MaximumTotal)
        {
            throw new InvalidOperationException(
                $"{SettingName} must be a whole number of connections from {MinimumTotal} to {MaximumTotal} per silo; it is '{value}'.");
        }

        return Split(total);
    }
}
