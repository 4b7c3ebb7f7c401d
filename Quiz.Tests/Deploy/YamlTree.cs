using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Quiz.Tests.Deploy;

/// <summary>
/// YAML read into System.Text.Json nodes, for navigating rendered manifests with an indexer. Every scalar becomes a
/// string: the tests compare what the files say, as the files say it.
/// </summary>
public static class YamlTree
{
    /// <summary>Every document of a (multi-document) YAML text; empty documents are left out.</summary>
    public static IReadOnlyList<JsonObject> LoadAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents
            .Select(document => ToJson(document.RootNode))
            .OfType<JsonObject>()
            .ToList();
    }

    /// <summary>The one document of a YAML text.</summary>
    public static JsonObject Load(string yaml)
    {
        var documents = LoadAll(yaml);
        Assert.True(documents.Count == 1, $"Expected one YAML document, found {documents.Count}.");
        return documents[0];
    }

    /// <summary>The node at <paramref name="path"/> (mapping keys, or indexes of sequences), or null if any step is missing.</summary>
    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var step in path)
        {
            node = node switch
            {
                JsonObject map => map[step],
                JsonArray list when int.TryParse(step, out var index) && index >= 0 && index < list.Count => list[index],
                _ => null,
            };
        }

        return node;
    }

    /// <summary>The scalar at <paramref name="path"/>, or null when there is none.</summary>
    public static string? Text(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The scalar at <paramref name="path"/>; a test failure naming the path when it is missing.</summary>
    public static string RequiredText(this JsonNode? node, params string[] path) =>
        node.Text(path) ?? throw new Xunit.Sdk.XunitException($"No value at {string.Join('.', path)} in:\n{node?.ToJsonString()}");

    /// <summary>The items of the sequence at <paramref name="path"/>; none when it is missing.</summary>
    public static IEnumerable<JsonNode> Items(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonArray list ? list.OfType<JsonNode>() : [];

    /// <summary>The keys and values of the mapping at <paramref name="path"/>; none when it is missing.</summary>
    public static IEnumerable<KeyValuePair<string, JsonNode?>> Entries(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonObject map ? map : [];

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(child =>
            KeyValuePair.Create(((YamlScalarNode)child.Key).Value ?? string.Empty, ToJson(child.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? string.Empty),
        _ => throw new NotSupportedException($"Unexpected YAML node {node.NodeType} at {node.Start}."),
    };
}
