namespace Parley.Operations;

/// <summary>What <c>/readyz</c> counts as a stalled worker ("Health" configuration section).</summary>
public sealed class HealthOptions
{
    /// <summary>
    /// A worker loop that has not gone round for this long while its queue has work is stalled. Longer than one outbox
    /// pass can take (deliveries start within half the 5-minute lease, then each is bounded by its SMTP timeouts).
    /// </summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(5);
}
