using Parley.Core.Inbound;

namespace Parley.Core.Tests.Inbound;

/// <summary>The bytes the router can take from memory instead of reading them back: once each, bounded in size.</summary>
public sealed class RecentlyStoredTests
{
    [Fact]
    public void Bytes_are_taken_once_and_unknown_ones_are_not_there()
    {
        var recent = new RecentlyStored();
        recent.Add(1, [1, 2, 3]);
        Assert.Equal([1, 2, 3], recent.Take(1));
        Assert.Null(recent.Take(1));
        Assert.Null(recent.Take(2));
    }

    [Fact]
    public void The_oldest_are_dropped_past_the_byte_limit_and_big_messages_are_not_kept()
    {
        var recent = new RecentlyStored();
        var size = RecentlyStored.MaxMessageBytes / 2;
        var count = (int)(RecentlyStored.MaxBytes / size) + 10;
        for (var id = 1; id <= count; id++)
        {
            recent.Add(id, new byte[size]);
        }

        recent.Add(count + 1, new byte[RecentlyStored.MaxMessageBytes + 1]);

        Assert.Null(recent.Take(1)); // dropped: the oldest went first
        Assert.NotNull(recent.Take(count)); // the newest stayed
        Assert.Null(recent.Take(count + 1)); // too big to keep
        var kept = Enumerable.Range(1, count).Count(id => recent.Take(id) is not null);
        Assert.InRange(kept + 1, 1, RecentlyStored.MaxBytes / size);
    }
}
