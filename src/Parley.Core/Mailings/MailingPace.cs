namespace Parley.Core.Mailings;

/// <summary>
/// When each email of a paced mailing is due: the n-th at start + n × interval, where the interval is an hour over
/// <see cref="Mailing.PerHour"/>, or the window (<see cref="Mailing.SpreadMinutes"/>) over the recipients. Unpaced, every
/// email is due at once. The outbox's per-domain rate limits and adaptive throttling apply on top.
/// </summary>
public sealed class MailingPace(Mailing mailing, int total)
{
    private readonly TimeSpan _interval = mailing switch
    {
        { PerHour: > 0 and var perHour } => TimeSpan.FromHours(1) / perHour,
        { SpreadMinutes: > 0 and var minutes } when total > 1 => TimeSpan.FromMinutes(minutes) / total,
        _ => TimeSpan.Zero,
    };

    private readonly DateTimeOffset _start = mailing.StartedAt ?? DateTimeOffset.MinValue;

    public bool IsPaced => _interval > TimeSpan.Zero;

    /// <summary>When the email with this index (0 for the first queued) is due; never before now.</summary>
    public DateTimeOffset SlotOf(int index, DateTimeOffset now)
    {
        if (!IsPaced)
        {
            return now;
        }
        var slot = _start + _interval * index;
        return slot < now ? now : slot;
    }
}
