using System.ComponentModel.DataAnnotations;

namespace Parley.Core.Outbox;

/// <summary>The outbox worker's tuning (configuration section "Outbox").</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How often the worker looks for due mail when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a claimed row stays ours; a crash leaves it to be re-claimed after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Batches in flight at once on this node. With two, one batch delivers while the other commits its results and
    /// claims the next rows, so the database round trips between batches no longer leave the CPU idle. Each has
    /// its own lease owner; the connection pool still caps sessions per destination.
    /// </summary>
    [Range(1, 64)]
    public int ConcurrentBatches { get; set; } = 2;

    /// <summary>Deliveries in flight at once within a batch (each on its own SMTP session or a pooled one).</summary>
    [Range(1, 1_000)]
    public int MaxParallelDeliveries { get; set; } = 8;

    /// <summary>Delays after the 1st, 2nd… temporary failure; the last one repeats until <see cref="GiveUpAfter"/>.</summary>
    public TimeSpan[] RetryDelays { get; set; } =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1),
        TimeSpan.FromHours(4),
    ];

    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(4);

    /// <summary>The most an email's attachments may weigh together (bytes, decoded); more is refused when it is composed.</summary>
    [Range(1, 200L * 1024 * 1024)]
    public long MaxAttachmentBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Names this process in leases so several nodes can share one PostgreSQL outbox.</summary>
    public string NodeName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
}
