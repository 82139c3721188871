using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Records;

namespace Parley.Core.Mailings;

/// <summary>Wakes the mailing worker: a mailing is due, was sent off, or its outbox rows moved.</summary>
public sealed class MailingSignal : WorkSignal;

/// <summary>
/// Announces that a mailing's counts moved, on the same live channel as the chatter (<see cref="ChatterEvents"/>, under
/// the <see cref="LiveType"/> pseudo record type), so its open page fetches them again; and wakes the worker, which
/// marks the mailing sent once nothing of it is left in the outbox.
/// </summary>
public sealed class MailingProgress(ChatterEvents events, MailingSignal signal)
{
    /// <summary>The record type under which a mailing's page listens, and under which its test copies are kept.</summary>
    public const string LiveType = "mailing";

    public static RecordRef LiveRef(long mailingId) => new(LiveType, mailingId);

    public void Moved(long mailingId)
    {
        events.Publish(LiveRef(mailingId), 0);
        signal.Notify();
    }
}
