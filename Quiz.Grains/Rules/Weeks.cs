namespace Quiz.Rules;

/// <summary>Weeks as the tops, the leagues and the chart count them: Monday to Sunday.</summary>
public static class Weeks
{
    /// <summary>The Monday of the week that holds <paramref name="day"/>.</summary>
    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
