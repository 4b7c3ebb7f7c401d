using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Quiz.Testing;

/// <summary>The clock and sender one test cluster's silos share, found by the cluster's test id.</summary>
public sealed class TestClusterServices
{
    public const string IdKey = "QuizTest:Id";

    private static readonly ConcurrentDictionary<string, TestClusterServices> ById = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));

    public RecordingMessenger Sender { get; } = new();

    /// <summary>Makes <paramref name="services"/> findable by the silos of one cluster; returns the id to give them.</summary>
    public static string Register(TestClusterServices services)
    {
        var id = Guid.NewGuid().ToString("N");
        ById[id] = services;
        return id;
    }

    public static TestClusterServices Get(string id) => ById[id];
}
