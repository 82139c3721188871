using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Parley.Testing;

/// <summary>
/// Waiting for something another thread or process does: a message routed, a file written, a row sent.
/// Use it instead of a hand-written "poll until a deadline" loop. Say in <c>because</c> what the test waits for:
/// on timeout it fails with that text and the last value it saw, so the failure explains itself.
/// Do not use it to wait for nothing to happen: wait for a later thing that must happen (a barrier) and then
/// assert the earlier thing did not.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until <paramref name="condition"/> is true.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string because, TimeSpan? every = null, CancellationToken cancellationToken = default) =>
        UntilAsync(() => Task.FromResult(condition()), ok => ok, timeout, because, every, cancellationToken);

    /// <summary>Waits until <paramref name="condition"/> is true.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string because, TimeSpan? every = null, CancellationToken cancellationToken = default) =>
        UntilAsync(condition, ok => ok, timeout, because, every, cancellationToken);

    /// <summary>Observes a value until <paramref name="until"/> accepts it, and returns that value.</summary>
    public static Task<T> UntilAsync<T>(Func<T> observe, Func<T, bool> until, TimeSpan timeout, string because, TimeSpan? every = null, CancellationToken cancellationToken = default) =>
        UntilAsync(() => Task.FromResult(observe()), until, timeout, because, every, cancellationToken);

    /// <summary>Observes a value until <paramref name="until"/> accepts it, and returns that value.</summary>
    /// <remarks>Preferred over the synchronous overload when a lambda fits both (e.g. <c>x => x is not null</c>).</remarks>
    /// <exception cref="TimeoutException">Past <paramref name="timeout"/>, naming <paramref name="because"/> and the last value seen.</exception>
    [OverloadResolutionPriority(1)]
    public static async Task<T> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> until, TimeSpan timeout, string because, TimeSpan? every = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await observe().ConfigureAwait(false);
            if (until(value))
            {
                return value;
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException(
                    $"Waited {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s for: {because}. Last seen: {Describe(value)}");
            }

            await Task.Delay(every ?? DefaultEvery, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Describe(object? value)
    {
        var text = value switch
        {
            null => "null",
            bool b => b ? "true" : "false",
            string s => $"\"{s}\"",
            IEnumerable items => Items(items.Cast<object?>().ToList()),
            _ => value.ToString() ?? "",
        };
        return text.Length <= 4000 ? text : text[..4000] + "…";
    }

    private static string Items(List<object?> items) => $"{items.Count} items [{string.Join(", ", items.Select(i => i?.ToString()))}]";
}
