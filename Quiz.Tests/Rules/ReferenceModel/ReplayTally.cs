using System.Collections.Concurrent;

namespace Quiz.Tests.Rules.ReferenceModel;

/// <summary>Counts of what happened across replayed lives, by name.</summary>
internal sealed class ReplayTally
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public void Count(string what) => _counts.AddOrUpdate(what, 1, (_, n) => n + 1);

    public int this[string what] => _counts.GetValueOrDefault(what);

    public override string ToString() => string.Join(", ", _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}"));
}
