namespace Parley.Core.Inbound;

/// <summary>
/// The raw bytes of messages this process has just stored, kept until the router takes them, so routing does not read
/// back from the database what the listener committed a few milliseconds earlier. Bounded in bytes (the oldest are
/// dropped first, big messages are not kept); a message not found here — stored by another node, before a restart,
/// or dropped — is simply read from the database. Only ever holds bytes that are already committed.
/// </summary>
public sealed class RecentlyStored
{
    public const long MaxBytes = 32 * 1024 * 1024;
    public const int MaxMessageBytes = 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<long, byte[]> _byRawMimeId = [];
    private readonly Queue<long> _order = new();
    private long _bytes;

    public void Add(long rawMimeId, byte[] content)
    {
        if (content.Length > MaxMessageBytes)
        {
            return;
        }

        lock (_lock)
        {
            if (!_byRawMimeId.TryAdd(rawMimeId, content))
            {
                return;
            }

            _order.Enqueue(rawMimeId);
            _bytes += content.Length;
            while (_bytes > MaxBytes && _order.TryDequeue(out var oldest))
            {
                if (_byRawMimeId.Remove(oldest, out var dropped))
                {
                    _bytes -= dropped.Length;
                }
            }
            // Ids taken by the router stay in the queue until they reach its head; keep it from growing without bound.
            if (_order.Count > 4 * Math.Max(_byRawMimeId.Count, 1024))
            {
                var live = _order.Where(_byRawMimeId.ContainsKey).ToList();
                _order.Clear();
                foreach (var id in live)
                {
                    _order.Enqueue(id);
                }
            }
        }
    }

    /// <returns>The bytes, removed from here; null when this process does not hold them.</returns>
    public byte[]? Take(long rawMimeId)
    {
        lock (_lock)
        {
            if (!_byRawMimeId.Remove(rawMimeId, out var content))
            {
                return null;
            }

            _bytes -= content.Length;
            return content;
        }
    }
}
