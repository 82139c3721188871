using System.Net;

namespace Parley.Core.SpamTest;

/// <summary>
/// A message to score and how it arrived: the raw bytes, and what the SMTP hop said (connecting IP, HELO, MAIL FROM,
/// TLS). Fields the source does not know (a file given to <c>parley score</c> without --ip) are null, and the checks
/// that need them say they were not run.
/// </summary>
public sealed record SpamTestSubject(byte[] Raw, IPAddress? ClientIp, string? Helo, string? MailFrom, bool? Tls = null, string? AuthenticationResults = null);
