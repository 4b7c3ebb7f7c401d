using System.Text.Json;
using Orleans.Storage;

namespace Quiz.Storage;

/// <summary>
/// Grain state as UTF-8 JSON with <see cref="LearnerJson.Options"/>. Chosen over the Orleans binary format so that
/// the database can read the state (the write function appends the answer log from it) and operators can query it.
/// Compatibility rests on the JSON names, not on <c>[Id]</c>: the stored-row fixture test guards them.
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) =>
        new(JsonSerializer.SerializeToUtf8Bytes(input, LearnerJson.Options));

    public T Deserialize<T>(BinaryData input) =>
        JsonSerializer.Deserialize<T>(input.ToMemory().Span, LearnerJson.Options)
        ?? throw new JsonException($"Stored state of type {typeof(T).Name} is JSON null.");
}
