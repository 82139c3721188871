using Parley.Core.Common;

namespace Parley.Core.Tests.Common;

/// <summary>The router's thread: its loop's continuations come back to it, and the loop's end or failure is reported.</summary>
public sealed class DedicatedThreadTests
{
    [Fact]
    public async Task Every_continuation_of_the_loop_runs_on_its_own_thread()
    {
        var threads = new List<int>();
        var poolWork = 0;
        await DedicatedThread.Run("test loop", async () =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            await Task.Delay(10);
            threads.Add(Environment.CurrentManagedThreadId);
            await Task.Yield();
            threads.Add(Environment.CurrentManagedThreadId);
            // Work sent to the pool runs elsewhere, and the loop comes back to its thread after it.
            poolWork = await Task.Run(() => Environment.CurrentManagedThreadId);
            threads.Add(Environment.CurrentManagedThreadId);
            Assert.Equal("test loop", Thread.CurrentThread.Name);
        });

        Assert.Equal(4, threads.Count);
        Assert.Single(threads.Distinct());
        Assert.NotEqual(threads[0], poolWork);
    }

    [Fact]
    public async Task A_failing_loop_fails_its_task_and_a_cancelled_one_is_cancelled()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => DedicatedThread.Run("failing", async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("routing broke");
        }));
        Assert.Equal("routing broke", failure.Message);

        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        var cancelled = DedicatedThread.Run("stopping", () => Task.Delay(Timeout.Infinite, stop.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True(cancelled.IsCanceled);
    }

    [Fact]
    public async Task Work_posted_after_the_loop_ended_still_runs()
    {
        SynchronizationContext? context = null;
        await DedicatedThread.Run("ended", () =>
        {
            context = SynchronizationContext.Current;
            return Task.CompletedTask;
        });
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The loop's thread may still be finishing; either way the callback must run exactly once, not be dropped.
        await Task.Delay(50);
        context!.Post(_ => ran.TrySetResult(), null);
        await ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
