using System.Text.Encodings.Web;
using System.Text.Json;
using Telegram.Bot;

namespace Quiz.Sandbox;

internal static class SandboxJson
{
    /// <summary>
    /// Telegram.Bot's own options (snake_case names, its converters) for everything the sandbox writes, with only the
    /// encoder relaxed so that text goes out as plain UTF-8 as Telegram sends it ("✅", "&lt;"), not as \u escapes.
    /// </summary>
    public static JsonSerializerOptions Write { get; } = new(JsonBotAPI.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
