using System.Collections.Concurrent;
using System.Threading.Channels;
using Parley.Core.Records;

namespace Parley.Core.Chatter;

/// <summary>
/// In-process notifications that a record's timeline changed (a reply arrived, a delivery state
/// moved), so open browser tabs refresh without a reload. Subscribers that fall behind lose
/// intermediate signals, never correctness: each signal only means "fetch the timeline again".
/// </summary>
public sealed class ChatterEvents
{
    private readonly ConcurrentDictionary<RecordRef, ConcurrentDictionary<Channel<long>, byte>> _subscribers = new();

    public ChatterSubscription Subscribe(RecordRef record)
    {
        var channel = Channel.CreateBounded<long>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        _subscribers.GetOrAdd(record, _ => new()).TryAdd(channel, 0);
        return new ChatterSubscription(channel.Reader, () =>
        {
            if (_subscribers.TryGetValue(record, out var set))
            {
                set.TryRemove(channel, out _);
            }
        });
    }

    public void Publish(RecordRef record, long messageId)
    {
        if (!_subscribers.TryGetValue(record, out var set))
        {
            return;
        }

        foreach (var channel in set.Keys)
        {
            channel.Writer.TryWrite(messageId);
        }
    }
}

public sealed class ChatterSubscription(ChannelReader<long> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<long> Reader { get; } = reader;

    public void Dispose() => unsubscribe();
}
