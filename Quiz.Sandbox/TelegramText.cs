using System.Globalization;
using System.Text;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Quiz.Sandbox;

/// <summary>A message text as Telegram stores it: plain text plus entities (offsets in UTF-16 code units).</summary>
internal sealed record FormattedText(string Text, IReadOnlyList<MessageEntity> Entities)
{
    public bool SameAs(FormattedText other) =>
        string.Equals(Text, other.Text, StringComparison.Ordinal)
        && Entities.Count == other.Entities.Count
        && Entities.Zip(other.Entities).All(p =>
            p.First.Type == p.Second.Type && p.First.Offset == p.Second.Offset && p.First.Length == p.Second.Length
            && string.Equals(p.First.Url, p.Second.Url, StringComparison.Ordinal)
            && string.Equals(p.First.Language, p.Second.Language, StringComparison.Ordinal));
}

/// <summary>
/// Turns a message text and its parse_mode into what Telegram would store, with Telegram's errors:
/// HTML follows the Bot API rules (the tags it lists, the four named entities and numeric ones, a bare '&lt;' is an
/// error), the result is trimmed, and its length is limited to 4096 characters.
/// Markdown and MarkdownV2 are accepted as plain text and not validated.
/// </summary>
internal static class TelegramText
{
    public const int MaxMessageLength = 4096;

    private static readonly Dictionary<string, string> SupportedTags = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b"] = "b", ["strong"] = "strong", ["i"] = "i", ["em"] = "em", ["u"] = "u", ["ins"] = "ins",
        ["s"] = "s", ["strike"] = "strike", ["del"] = "del", ["span"] = "span", ["tg-spoiler"] = "tg-spoiler",
        ["a"] = "a", ["code"] = "code", ["pre"] = "pre", ["blockquote"] = "blockquote", ["tg-emoji"] = "tg-emoji",
    };

    public static FormattedText Format(string text, string? parseMode)
    {
        FormattedText parsed;
        if (string.IsNullOrEmpty(parseMode) || IsPlainMode(parseMode))
        {
            parsed = new FormattedText(text, []);
        }
        else if (string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase))
        {
            parsed = ParseHtml(text);
        }
        else
        {
            throw new BotApiException(400, "Bad Request: unsupported parse_mode");
        }

        var trimmed = Trim(parsed);
        if (trimmed.Text.Length == 0)
        {
            throw new BotApiException(400, "Bad Request: message text is empty");
        }

        if (trimmed.Text.EnumerateRunes().Count() > MaxMessageLength)
        {
            throw new BotApiException(400, "Bad Request: message is too long");
        }

        return trimmed;
    }

    /// <summary>A text typed by a person: plain, with a bot_command entity when it starts with '/'.</summary>
    public static FormattedText FromUser(string text)
    {
        if (text.Length > 1 && text[0] == '/' && char.IsAsciiLetterOrDigit(text[1]))
        {
            var end = 1;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            return new FormattedText(text, [new MessageEntity { Type = MessageEntityType.BotCommand, Offset = 0, Length = end }]);
        }

        return new FormattedText(text, []);
    }

    /// <summary>Telegram reads parse_mode case-insensitively (Telegram.Bot sends "Html"); this is its documented spelling.</summary>
    public static string? CanonicalParseMode(string? parseMode) => parseMode switch
    {
        null or "" => null,
        _ when string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase) => "HTML",
        _ when string.Equals(parseMode, "MarkdownV2", StringComparison.OrdinalIgnoreCase) => "MarkdownV2",
        _ when string.Equals(parseMode, "Markdown", StringComparison.OrdinalIgnoreCase) => "Markdown",
        _ => parseMode,
    };

    private static bool IsPlainMode(string parseMode) =>
        string.Equals(parseMode, "Markdown", StringComparison.OrdinalIgnoreCase)
        || string.Equals(parseMode, "MarkdownV2", StringComparison.OrdinalIgnoreCase);

    private sealed record OpenTag(string Name, int Start, Dictionary<string, string> Attributes)
    {
        public string? Language { get; set; }
    }

    private static FormattedText ParseHtml(string html)
    {
        var text = new StringBuilder(html.Length);
        var entities = new List<MessageEntity>();
        var open = new Stack<OpenTag>();
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '&')
            {
                i = DecodeEntity(html, i, text);
                continue;
            }

            if (c != '<')
            {
                text.Append(c);
                i++;
                continue;
            }

            var begin = i;
            if (i + 1 < html.Length && html[i + 1] == '/')
            {
                if (open.Count == 0)
                {
                    throw ParseError($"Unexpected end tag at byte offset {ByteOffset(html, begin)}");
                }

                i += 2;
                var nameStart = i;
                while (i < html.Length && !IsSpace(html[i]) && html[i] != '>')
                {
                    i++;
                }

                var endName = html[nameStart..i];
                while (i < html.Length && IsSpace(html[i]))
                {
                    i++;
                }

                if (i >= html.Length || html[i] != '>')
                {
                    throw ParseError($"Unclosed end tag at byte offset {ByteOffset(html, begin)}");
                }

                i++;
                var tag = open.Pop();
                if (endName.Length > 0 && !string.Equals(endName, tag.Name, StringComparison.OrdinalIgnoreCase))
                {
                    throw ParseError($"Unmatched end tag at byte offset {ByteOffset(html, begin)}, expected \"</{tag.Name}>\", found \"</{endName}>\"");
                }

                Close(tag, text.Length, open, entities);
                continue;
            }

            i++;
            var tagStart = i;
            while (i < html.Length && !IsSpace(html[i]) && html[i] != '>')
            {
                i++;
            }

            if (i >= html.Length)
            {
                throw ParseError($"Unclosed start tag at byte offset {ByteOffset(html, begin)}");
            }

            var written = html[tagStart..i];
            if (!SupportedTags.TryGetValue(written, out var name))
            {
                throw ParseError($"Unsupported start tag \"{written}\" at byte offset {ByteOffset(html, begin)}");
            }

            var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                while (i < html.Length && IsSpace(html[i]))
                {
                    i++;
                }

                if (i >= html.Length)
                {
                    throw ParseError($"Unclosed start tag at byte offset {ByteOffset(html, begin)}");
                }

                if (html[i] == '>')
                {
                    i++;
                    break;
                }

                var attributeStart = i;
                while (i < html.Length && !IsSpace(html[i]) && html[i] != '=' && html[i] != '>')
                {
                    i++;
                }

                var attribute = html[attributeStart..i];
                while (i < html.Length && IsSpace(html[i]))
                {
                    i++;
                }

                if (i < html.Length && html[i] == '=')
                {
                    i++;
                    while (i < html.Length && IsSpace(html[i]))
                    {
                        i++;
                    }

                    if (i >= html.Length)
                    {
                        throw ParseError($"Unclosed start tag at byte offset {ByteOffset(html, begin)}");
                    }

                    string value;
                    if (html[i] is '"' or '\'')
                    {
                        var quote = html[i];
                        var valueEnd = html.IndexOf(quote, i + 1);
                        if (valueEnd < 0)
                        {
                            throw ParseError($"Unclosed start tag at byte offset {ByteOffset(html, begin)}");
                        }

                        value = DecodeAll(html[(i + 1)..valueEnd]);
                        i = valueEnd + 1;
                    }
                    else
                    {
                        var valueStart = i;
                        while (i < html.Length && !IsSpace(html[i]) && html[i] != '>')
                        {
                            i++;
                        }

                        value = DecodeAll(html[valueStart..i]);
                    }

                    attributes[attribute] = value;
                }
                else
                {
                    attributes[attribute] = "";
                }
            }

            if (name == "span" && !string.Equals(attributes.GetValueOrDefault("class"), "tg-spoiler", StringComparison.Ordinal))
            {
                throw ParseError($"Tag \"span\" must have class \"tg-spoiler\" at byte offset {ByteOffset(html, begin)}");
            }

            open.Push(new OpenTag(name, text.Length, attributes));
        }

        if (open.Count > 0)
        {
            throw ParseError($"Can't find end tag corresponding to start tag \"{open.Peek().Name}\"");
        }

        var sorted = entities.OrderBy(e => e.Offset).ThenByDescending(e => e.Length).ToList();
        return new FormattedText(text.ToString(), sorted);
    }

    private static void Close(OpenTag tag, int end, Stack<OpenTag> open, List<MessageEntity> entities)
    {
        var length = end - tag.Start;
        if (tag.Name == "code" && open.TryPeek(out var parent) && parent.Name == "pre" && parent.Start == tag.Start)
        {
            // <pre><code class="language-x">: one pre entity with a language.
            var cls = tag.Attributes.GetValueOrDefault("class");
            if (cls is not null && cls.StartsWith("language-", StringComparison.Ordinal))
            {
                parent.Language = cls["language-".Length..];
            }

            return;
        }

        if (length <= 0)
        {
            return;
        }

        MessageEntity? entity = tag.Name switch
        {
            "b" or "strong" => new MessageEntity { Type = MessageEntityType.Bold },
            "i" or "em" => new MessageEntity { Type = MessageEntityType.Italic },
            "u" or "ins" => new MessageEntity { Type = MessageEntityType.Underline },
            "s" or "strike" or "del" => new MessageEntity { Type = MessageEntityType.Strikethrough },
            "span" or "tg-spoiler" => new MessageEntity { Type = MessageEntityType.Spoiler },
            "code" => new MessageEntity { Type = MessageEntityType.Code },
            "pre" => new MessageEntity { Type = MessageEntityType.Pre, Language = tag.Language },
            "blockquote" => new MessageEntity
            {
                Type = tag.Attributes.ContainsKey("expandable") ? MessageEntityType.ExpandableBlockquote : MessageEntityType.Blockquote,
            },
            "a" when !string.IsNullOrEmpty(tag.Attributes.GetValueOrDefault("href")) =>
                new MessageEntity { Type = MessageEntityType.TextLink, Url = tag.Attributes["href"] },
            "tg-emoji" when tag.Attributes.TryGetValue("emoji-id", out var emojiId) =>
                new MessageEntity { Type = MessageEntityType.CustomEmoji, CustomEmojiId = emojiId },
            _ => null,
        };
        if (entity is not null)
        {
            entity.Offset = tag.Start;
            entity.Length = length;
            entities.Add(entity);
        }
    }

    private static int DecodeEntity(string html, int i, StringBuilder text)
    {
        var semicolon = html.IndexOf(';', i + 1, Math.Min(12, html.Length - i - 1));
        if (semicolon > i + 1)
        {
            var name = html.AsSpan(i + 1, semicolon - i - 1);
            string? decoded = name switch
            {
                "lt" => "<",
                "gt" => ">",
                "amp" => "&",
                "quot" => "\"",
                _ => DecodeNumeric(name),
            };
            if (decoded is not null)
            {
                text.Append(decoded);
                return semicolon + 1;
            }
        }

        // Telegram keeps an '&' that starts no known entity as it is.
        text.Append('&');
        return i + 1;
    }

    private static string? DecodeNumeric(ReadOnlySpan<char> name)
    {
        if (name.Length < 2 || name[0] != '#')
        {
            return null;
        }

        var ok = name[1] is 'x' or 'X'
            ? int.TryParse(name[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            : int.TryParse(name[1..], NumberStyles.None, CultureInfo.InvariantCulture, out code);
        return ok && Rune.IsValid(code) && code != 0 ? char.ConvertFromUtf32(code) : null;
    }

    private static string DecodeAll(string value)
    {
        if (!value.Contains('&', StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            if (value[i] == '&')
            {
                i = DecodeEntity(value, i, sb);
            }
            else
            {
                sb.Append(value[i]);
                i++;
            }
        }

        return sb.ToString();
    }

    private static FormattedText Trim(FormattedText parsed)
    {
        var text = parsed.Text;
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        var end = text.Length;
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (start == 0 && end == text.Length)
        {
            return parsed;
        }

        var entities = new List<MessageEntity>();
        foreach (var e in parsed.Entities)
        {
            var from = Math.Max(e.Offset, start);
            var to = Math.Min(e.Offset + e.Length, end);
            if (to > from)
            {
                entities.Add(new MessageEntity
                {
                    Type = e.Type,
                    Offset = from - start,
                    Length = to - from,
                    Url = e.Url,
                    Language = e.Language,
                    CustomEmojiId = e.CustomEmojiId,
                });
            }
        }

        return new FormattedText(text[start..end], entities);
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v';

    private static int ByteOffset(string html, int index) => Encoding.UTF8.GetByteCount(html.AsSpan(0, index));

    private static BotApiException ParseError(string detail) =>
        new(400, "Bad Request: can't parse entities: " + detail);
}
