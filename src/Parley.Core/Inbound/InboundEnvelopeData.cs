namespace Parley.Core.Inbound;

/// <summary>How a message arrived: who connected and what the SMTP envelope said.</summary>
public sealed record InboundEnvelopeData(string Source, string? ClientAddress, string? Helo, string MailFrom, IReadOnlyList<string> Recipients, DateTimeOffset ReceivedAt);
