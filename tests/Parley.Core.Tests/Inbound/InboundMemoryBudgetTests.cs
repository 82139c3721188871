using Parley.Core.Inbound;

namespace Parley.Core.Tests.Inbound;

public sealed class InboundMemoryBudgetTests
{
    [Fact]
    public async Task Stores_past_the_budget_wait_in_arrival_order_until_bytes_are_released()
    {
        var budget = new InboundMemoryBudget(limit: 100);
        var first = await budget.AcquireAsync(60, CancellationToken.None);
        var second = budget.AcquireAsync(60, CancellationToken.None).AsTask();
        var third = budget.AcquireAsync(10, CancellationToken.None).AsTask(); // fits, but waits behind the second

        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        Assert.Equal(0, budget.InUse);
        Assert.Equal(70, budget.Peak);
    }

    [Fact]
    public async Task A_message_larger_than_the_budget_goes_alone_and_a_cancelled_wait_frees_its_place()
    {
        var budget = new InboundMemoryBudget(limit: 100);
        var held = await budget.AcquireAsync(50, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var huge = budget.AcquireAsync(1000, cancel.Token).AsTask();
        var small = budget.AcquireAsync(10, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => huge);
        (await small.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        held.Dispose();
        (await budget.AcquireAsync(1000, CancellationToken.None)).Dispose();
        Assert.Equal(0, budget.InUse);
        Assert.Equal(100, budget.Peak);
    }
}
