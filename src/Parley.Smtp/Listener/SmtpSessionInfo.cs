using System.Net;

namespace Parley.Smtp.Listener;

/// <summary>What is known about a session when a seam is asked for a decision.</summary>
public sealed record SmtpSessionInfo(
    string SessionId,
    IPAddress ClientAddress,
    int ClientPort,
    string Helo,
    bool Tls,
    string MailFrom,
    IReadOnlyList<string> AcceptedRecipients);
