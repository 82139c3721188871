namespace Parley.Core.Inbound;

/// <summary>
/// How a message arrived, whichever way it came in: who connected and what the SMTP envelope said (the listener's
/// <c>SmtpEnvelope</c>, mapped in the host's <c>DatabaseInboundStore</c> and nowhere else), or what mailgate and mailbox
/// fetch know of it. <see cref="InboundStore"/> keeps it on the <see cref="InboundMessage"/> row, and the authenticator
/// reads it back from there (<see cref="Of"/>).
/// </summary>
/// <param name="Source"><see cref="Smtp"/>, <see cref="Mailgate"/>, or the mailbox fetched from.</param>
/// <param name="ClientAddress">The connecting IP for <see cref="Smtp"/>; the mailbox's server for fetch.</param>
public sealed record InboundEnvelope(string Source, string? ClientAddress, string? Helo, string MailFrom, IReadOnlyList<string> Recipients, DateTimeOffset ReceivedAt)
{
    /// <summary>Received by the SMTP listener: the only source with a connecting IP that SPF can check.</summary>
    public const string Smtp = "smtp";

    /// <summary>Handed in by <c>parley mailgate</c> (<c>POST /api/v1/inbound/raw</c>).</summary>
    public const string Mailgate = "mailgate";

    public static InboundEnvelope Of(InboundMessage row) =>
        new(row.Source, row.ClientAddress, row.Helo, row.MailFrom, row.Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries), row.ReceivedAt);
}
