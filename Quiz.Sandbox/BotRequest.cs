using System.Globalization;
using System.Text.Json;

namespace Quiz.Sandbox;

/// <summary>
/// The parameters of one Bot API call, however they came: query string, a JSON body,
/// or a form (urlencoded or multipart, where objects such as reply_markup are JSON-serialized strings).
/// </summary>
internal sealed class BotRequest
{
    private readonly Dictionary<string, JsonElement> _values;
    private readonly Dictionary<string, byte[]> _files;

    private BotRequest(Dictionary<string, JsonElement> values, Dictionary<string, byte[]>? files = null)
    {
        _values = values;
        _files = files ?? [];
    }

    public static BotRequest FromJson(JsonElement body)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (body.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in body.EnumerateObject())
            {
                values[property.Name] = property.Value.Clone();
            }
        }

        return new BotRequest(values);
    }

    public static async Task<BotRequest> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            values[key] = JsonSerializer.SerializeToElement(value.ToString());
        }

        if (request.HasJsonContentType())
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(ct);
            if (!string.IsNullOrWhiteSpace(body))
            {
                JsonElement root;
                try
                {
                    using var document = JsonDocument.Parse(body);
                    root = document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    throw new BotApiException(400, "Bad Request: can't parse JSON");
                }

                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new BotApiException(400, "Bad Request: the request body must be a JSON object");
                }

                foreach (var property in root.EnumerateObject())
                {
                    values[property.Name] = property.Value;
                }
            }
        }
        else if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            foreach (var (key, value) in form)
            {
                values[key] = JsonSerializer.SerializeToElement(value.ToString());
            }

            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var file in form.Files)
            {
                using var content = new MemoryStream();
                await file.CopyToAsync(content, ct);
                files[file.Name] = content.ToArray();
            }

            return new BotRequest(values, files);
        }

        return new BotRequest(values);
    }

    /// <summary>
    /// A file uploaded in a multipart form (a photo): the part named <paramref name="name"/>, or the part that the
    /// parameter names as <c>attach://part</c>, as the Bot API allows either; null when there is none.
    /// </summary>
    public byte[]? File(string name) =>
        _files.GetValueOrDefault(name)
        ?? (String(name) is { } value && value.StartsWith("attach://", StringComparison.Ordinal) ? _files.GetValueOrDefault(value["attach://".Length..]) : null);

    public bool Has(string name) => _values.TryGetValue(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    public string? String(string name)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => v.GetRawText(),
        };
    }

    public long? Long(string name)
    {
        if (!_values.TryGetValue(name, out var v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var number))
        {
            return number;
        }

        if (v.ValueKind == JsonValueKind.String
            && long.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw new BotApiException(400, $"Bad Request: invalid {name} specified");
    }

    public int? Int(string name)
    {
        var value = Long(name);
        return value is null ? null
            : value is >= int.MinValue and <= int.MaxValue ? (int)value
            : throw new BotApiException(400, $"Bad Request: invalid {name} specified");
    }

    public bool Bool(string name)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return false;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.String => v.GetString() is "true" or "True" or "1",
            JsonValueKind.Number => v.TryGetInt32(out var n) && n != 0,
            _ => false,
        };
    }

    /// <summary>An object or array parameter: as JSON in a JSON body, or a JSON-serialized string in a form.</summary>
    public JsonElement? Json(string name, string errorDescription)
    {
        if (!_values.TryGetValue(name, out var v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            return v;
        }

        var raw = v.GetString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new BotApiException(400, errorDescription);
        }
    }
}
