using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quiz.Storage;

/// <summary>The one set of JSON options for stored state: fixed names, enums as text, so rows are readable in SQL.</summary>
public static class LearnerJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
