using System.Text.Json.Serialization;

namespace Quiz.Conversation;

/// <summary>A button under a message that sends <see cref="Data"/> back as a callback query when tapped.</summary>
public sealed record InlineButton([property: JsonPropertyName("text")] string Text, [property: JsonPropertyName("data")] string Data);
