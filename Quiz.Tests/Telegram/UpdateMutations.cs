using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace Quiz.Tests.Telegram;

/// <summary>One hostile webhook body: a real update shape mutated, or raw bytes.</summary>
internal sealed record HostileUpdate(string Shape, string Mutations, byte[] Body)
{
    public override string ToString() =>
        $"{Shape} [{Mutations[..Math.Min(Mutations.Length, 200)]}]: {Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 600))}";
}

/// <summary>
/// Generates webhook bodies the way a hostile or broken sender would: the update shapes Telegram really sends (a command,
/// a tap, a block, an edited message, a group message) with fields removed, retyped, oversized, wrongly nested, unknown
/// fields added and polymorphic fields given wrong or no discriminators; and raw bytes, truncated JSON and bad UTF-8.
/// </summary>
internal static class UpdateMutations
{
    private static readonly Func<long, int, JsonObject>[] Shapes =
    [
        (user, id) => Message(user, id, "/start"),
        (user, id) => Message(user, id, "/time 08:30 Europe/Berlin"),
        (user, id) => Message(user, id, "/stats"),
        (user, id) => Message(user, id, "/report the answer is wrong"),
        (user, id) => Tap(user, id, "a:dm-b-01:2026-03-02:1"),
        (user, id) => Tap(user, id, "r:dm-b-01"),
        (user, id) => Blocked(user, id),
        (user, id) => JsonNode.Parse($$$"""{"update_id": {{{id}}}, "edited_message": {"message_id": 3, "date": 1700000000, "chat": {"id": {{{user}}}, "type": "private"}, "from": {"id": {{{user}}}, "is_bot": false, "first_name": "E"}, "text": "/start"} }""")!.AsObject(),
        (user, id) => JsonNode.Parse($$$"""{"update_id": {{{id}}}, "message": {"message_id": 4, "date": 1700000000, "chat": {"id": -100{{{user}}}, "type": "supergroup", "title": "G"}, "from": {"id": {{{user}}}, "is_bot": false, "first_name": "G"}, "text": "/start", "forward_origin": {"type": "user", "date": 1700000000, "sender_user": {"id": 7, "is_bot": false, "first_name": "F"} } } }""")!.AsObject(),
    ];

    private static readonly Func<JsonNode?>[] Replacements =
    [
        () => null, () => true, () => 0, () => -1, () => 1e308, () => long.MaxValue, () => ulong.MaxValue, () => -9007199254740993L,
        () => "", () => "x", () => string.Concat(Enumerable.Repeat("🙂", 3000)), () => "2026-13-45T99:99:99Z", () => new JsonObject(), () => new JsonArray(),
        () => new JsonArray(new JsonArray(new JsonArray())), () => new JsonObject { ["type"] = "bogus" }, () => new JsonObject { ["status"] = 42 },
        () => new JsonObject { ["update_id"] = 1, ["message"] = new JsonObject() }, () => 1.5, () => "\u0000\u001f\ud800", () => "'; drop table answers; --",
    ];

    private static readonly string[] Discriminators = ["type", "status", "source"];

    /// <summary>A mutated update from learner <paramref name="user"/>, or raw bytes; <paramref name="updateId"/> keeps ids unique.</summary>
    public static Gen<HostileUpdate> For(long user, int updateId) => Gen.Frequency<HostileUpdate>(
        (9, Mutated(user, updateId)),
        (1, RawBytes()));

    private static Gen<HostileUpdate> Mutated(long user, int updateId) =>
        from shape in Gen.Int[0, Shapes.Length - 1]
        from mutations in Gen.Select(Gen.Int[0, 6], Gen.Int, Gen.Int[0, Replacements.Length - 1]).Array[1, 3]
        select Apply(shape, Shapes[shape](user, updateId), mutations);

    private static Gen<HostileUpdate> RawBytes() => Gen.Frequency<HostileUpdate>(
        (1, Gen.Byte.Array[0, 300].Select(bytes => new HostileUpdate("bytes", "random", bytes))),
        (1, Gen.Int[1, 200].Select(cut => Truncated(cut))),
        (1, Gen.Const(new HostileUpdate("bytes", "bad utf-8", [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))));

    private static HostileUpdate Truncated(int cut)
    {
        var json = Encoding.UTF8.GetBytes(Shapes[0](1, 1).ToJsonString());
        return new HostileUpdate("truncated", $"{cut} bytes", json[..Math.Min(cut, json.Length - 1)]);
    }

    private static HostileUpdate Apply(int shape, JsonObject update, (int Kind, int Where, int With)[] mutations)
    {
        var applied = new List<string>();
        foreach (var (kind, where, with) in mutations)
        {
            var nodes = Descendants(update).ToList();
            if (nodes.Count == 0)
            {
                break;
            }

            var (parent, key, node) = nodes[(int)((uint)where % (uint)nodes.Count)];
            var replacement = Replacements[with]();
            switch (kind)
            {
                case 0 when parent is JsonObject removeFrom:
                    removeFrom.Remove(key);
                    applied.Add($"remove {key}");
                    break;
                case 1 or 0:
                    Replace(parent, key, replacement);
                    applied.Add($"{key} = {replacement?.ToJsonString() ?? "null"}");
                    break;
                case 2:
                    Replace(parent, key, new JsonArray(node?.DeepClone()));
                    applied.Add($"{key} wrapped in an array");
                    break;
                case 3:
                    Replace(parent, key, new JsonObject { ["value"] = node?.DeepClone() });
                    applied.Add($"{key} wrapped in an object");
                    break;
                case 4 when node is JsonValue value && value.TryGetValue<string>(out var text):
                    Replace(parent, key, text + new string('x', 20_000));
                    applied.Add($"{key} oversized");
                    break;
                case 5:
                    var target = node as JsonObject ?? parent as JsonObject ?? update;
                    var discriminator = Discriminators[(uint)with % Discriminators.Length];
                    if (target.ContainsKey(discriminator) && with % 2 == 0)
                    {
                        target.Remove(discriminator);
                        applied.Add($"discriminator {discriminator} removed");
                    }
                    else
                    {
                        target[discriminator] = with % 3 == 0 ? "no_such_kind" : replacement;
                        applied.Add($"discriminator {discriminator} = {target[discriminator]?.ToJsonString() ?? "null"}");
                    }

                    break;
                default:
                    var into = node as JsonObject ?? update;
                    into[$"unknown_{with}"] = replacement;
                    applied.Add($"unknown field in {key}");
                    break;
            }
        }

        return new HostileUpdate(ShapeName(shape), string.Join("; ", applied), Encoding.UTF8.GetBytes(update.ToJsonString()));
    }

    private static void Replace(JsonNode? parent, string key, JsonNode? value)
    {
        switch (parent)
        {
            case JsonObject obj:
                obj[key] = value;
                break;
            case JsonArray array:
                array[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] = value;
                break;
        }
    }

    private static IEnumerable<(JsonNode? Parent, string Key, JsonNode? Node)> Descendants(JsonNode root)
    {
        switch (root)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    yield return (obj, key, child);
                    if (child is not null)
                    {
                        foreach (var nested in Descendants(child))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return (array, i.ToString(System.Globalization.CultureInfo.InvariantCulture), array[i]);
                    if (array[i] is { } child)
                    {
                        foreach (var nested in Descendants(child))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
        }
    }

    private static string ShapeName(int shape) => shape switch
    {
        0 => "/start", 1 => "/time", 2 => "/stats", 3 => "/report", 4 => "answer tap", 5 => "report tap", 6 => "blocked",
        7 => "edited message", _ => "group message",
    };

    private static JsonObject Message(long user, int id, string text) => JsonNode.Parse($$$"""
        {"update_id": {{{id}}}, "message": {"message_id": 1, "date": 1700000000,
         "chat": {"id": {{{user}}}, "type": "private", "first_name": "T"},
         "from": {"id": {{{user}}}, "is_bot": false, "first_name": "T", "language_code": "en"},
         "text": {{{System.Text.Json.JsonSerializer.Serialize(text)}}}, "entities": [{"type": "bot_command", "offset": 0, "length": {{{text.Split(' ')[0].Length}}} }]} }
        """)!.AsObject();

    private static JsonObject Tap(long user, int id, string data) => JsonNode.Parse($$$"""
        {"update_id": {{{id}}}, "callback_query": {"id": "cb{{{id}}}", "chat_instance": "ci",
         "from": {"id": {{{user}}}, "is_bot": false, "first_name": "T"},
         "message": {"message_id": 9, "date": 1700000000, "chat": {"id": {{{user}}}, "type": "private"}, "text": "Q"},
         "data": "{{{data}}}"} }
        """)!.AsObject();

    private static JsonObject Blocked(long user, int id) => JsonNode.Parse($$$"""
        {"update_id": {{{id}}}, "my_chat_member": {"chat": {"id": {{{user}}}, "type": "private"}, "date": 1700000000,
         "from": {"id": {{{user}}}, "is_bot": false, "first_name": "T"},
         "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": true, "first_name": "Bot"}},
         "new_chat_member": {"status": "kicked", "until_date": 0, "user": {"id": 1, "is_bot": true, "first_name": "Bot"} } } }
        """)!.AsObject();
}
