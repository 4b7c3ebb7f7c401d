using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Quiz.Tests.Generation;

/// <summary>A fake clock that remembers every wait a timer was asked for, so a test can see the backoff and move the clock by exactly it.</summary>
public sealed class WaitRecordingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentQueue<TimeSpan> _pending = new();
    private readonly ConcurrentQueue<TimeSpan> _all = new();

    public IReadOnlyList<TimeSpan> Waits => [.. _all];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _pending.Enqueue(dueTime);
        _all.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Runs <paramref name="task"/> to the end, moving the clock past each wait it starts, and nothing else.</summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        while (!task.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The generation did not finish in real time.");
            }

            if (_pending.TryDequeue(out var wait))
            {
                Advance(wait);
            }
            else
            {
                await Task.WhenAny(task, Task.Delay(10));
            }
        }

        return await task;
    }
}

/// <summary>Reads <c>quiz.questions.generated</c> by outcome from the meters of one <see cref="IMeterFactory"/>.</summary>
public sealed class GenerationCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public GenerationCounts(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == QuizMetrics.MeterName && instrument.Name == "quiz.questions.generated" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    outcome = tag.Value as string;
                }
            }

            _counts.AddOrUpdate(outcome ?? "(none)", value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public long this[string outcome] => _counts.GetValueOrDefault(outcome);

    /// <summary>Every outcome counted so far, sorted by name, for exact assertions.</summary>
    public IReadOnlyDictionary<string, long> All => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    public void Dispose() => _listener.Dispose();
}

/// <summary>A logger that keeps every formatted message and exception, to check what reaches the logs.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
        _entries.Enqueue($"{logLevel}: {formatter(state, exception)} [{properties}] {exception}");
    }
}
