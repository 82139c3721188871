namespace Parley.Core.Inbound.Bounces;

/// <summary>One recipient of a delivery report: who, what happened (RFC 3464 Action), the status code and the remote server's words.</summary>
public sealed record DsnRecipient(string? Address, string Action, string? Status, string? Diagnostic)
{
    /// <summary>A permanent failure (5.x.x, or "failed" with no status class): counts toward suppression.</summary>
    public bool IsHard => Status is { Length: > 0 } s ? s[0] == '5' : Action == "failed";

    /// <summary>The delivery was given up (as opposed to "delayed", which only warns).</summary>
    public bool IsFailure => Status is ['5', ..] || Action == "failed" || (Action == "" && Status is not (['2', ..] or ['4', ..]));

    /// <summary>A success notice (RFC 3464 delivered, relayed or expanded, status 2.x.x): not a bounce at all.</summary>
    public bool IsSuccess => !IsFailure && (Action is "delivered" or "relayed" or "expanded" || Status is ['2', ..]);
}

/// <summary>What a bounce says: per-recipient outcomes and the Message-ID of the email that bounced, when it carries one.</summary>
public sealed record DeliveryReport(bool IsStandardDsn, IReadOnlyList<DsnRecipient> Recipients, string? OriginalMessageId, IReadOnlyList<string> OriginalRecipients);
