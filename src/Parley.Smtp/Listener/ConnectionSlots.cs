using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Parley.Smtp.Listener;

/// <summary>
/// The listener's connection slots: at most <see cref="SmtpListenerOptions.MaxConnections"/> in all and
/// <see cref="SmtpListenerOptions.MaxConnectionsPerIp"/> per client (an IPv4 address, or an IPv6 /64: one
/// subscriber's allocation, so a host cannot multiply its budget by picking addresses). The last
/// <see cref="SmtpListenerOptions.ReservedShareForNewAddresses"/> of the slots go only to clients that hold none,
/// so a few addresses keeping many idle connections cannot lock everyone else out.
/// </summary>
internal sealed class ConnectionSlots(SmtpListenerOptions options)
{
    public const string TooManyFromAddress = "too many connections from your address";
    public const string TooMany = "too many connections";

    private readonly ConcurrentDictionary<IPAddress, int> _perClient = new();
    private readonly int _sharedSlots = options.MaxConnections - (int)Math.Ceiling(options.MaxConnections * Math.Clamp(options.ReservedShareForNewAddresses, 0, 1));
    private int _total;

    /// <summary>More than half of the slots are taken: idle clients get a shorter timeout.</summary>
    public bool IsBusy => Volatile.Read(ref _total) * 2 > options.MaxConnections;

    /// <summary>What the per-client limit counts: the IPv4 address (also when IPv4-mapped), or the IPv6 /64.</summary>
    public static IPAddress KeyOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    /// <summary>
    /// Takes a slot for <paramref name="address"/>: null when it got one (give it back with <see cref="Release"/>),
    /// else the reason it was refused (it then holds nothing, also while it is being told).
    /// </summary>
    public string? Acquire(IPAddress address)
    {
        var fromThisClient = _perClient.AddOrUpdate(KeyOf(address), 1, static (_, n) => n + 1);
        var total = Interlocked.Increment(ref _total);
        var refusal = fromThisClient > options.MaxConnectionsPerIp ? TooManyFromAddress
            : total > options.MaxConnections || (total > _sharedSlots && fromThisClient > 1) ? TooMany
            : null;
        if (refusal is not null)
        {
            Release(address);
        }

        return refusal;
    }

    public void Release(IPAddress address)
    {
        var key = KeyOf(address);
        Interlocked.Decrement(ref _total);
        if (_perClient.AddOrUpdate(key, 0, static (_, n) => n - 1) <= 0)
        {
            _perClient.TryRemove(KeyValuePair.Create(key, 0));
        }
    }
}
