using System.Collections.Frozen;
using Parley.Smtp.Listener.Protocol;

namespace Parley.Smtp.Listener.Session;

/// <summary>Where a session is in the SMTP dialogue (RFC 5321 §4.1.4 command order).</summary>
internal enum SessionState
{
    /// <summary>Greeting sent; waiting for HELO/EHLO (again after STARTTLS).</summary>
    Connected,

    /// <summary>HELO/EHLO done, no transaction.</summary>
    Greeted,

    /// <summary>MAIL FROM accepted.</summary>
    MailGiven,

    /// <summary>At least one RCPT TO accepted.</summary>
    RecipientGiven,
}

internal delegate ValueTask SmtpCommandHandler(SmtpSession session, string arguments, CancellationToken cancellationToken);

/// <summary>One row of the state table: in which states a command is valid, and what it does.</summary>
internal sealed record SmtpCommandRule(SessionState[] AllowedIn, SmtpCommandHandler Handler);

/// <summary>
/// The command state table: a command outside its allowed states gets the sequence error for that state,
/// and never reaches its handler.
/// </summary>
internal static class SmtpCommandTable
{
    private static readonly SessionState[] Any = [SessionState.Connected, SessionState.Greeted, SessionState.MailGiven, SessionState.RecipientGiven];

    public static readonly FrozenDictionary<string, SmtpCommandRule> Rules = new Dictionary<string, SmtpCommandRule>
    {
        ["EHLO"] = new(Any, static (s, a, cancellationToken) => s.HandleHeloAsync(a, extended: true, cancellationToken)),
        ["HELO"] = new(Any, static (s, a, cancellationToken) => s.HandleHeloAsync(a, extended: false, cancellationToken)),
        ["STARTTLS"] = new([SessionState.Greeted], static (s, a, cancellationToken) => s.HandleStartTlsAsync(a, cancellationToken)),
        ["MAIL"] = new([SessionState.Greeted], static (s, a, cancellationToken) => s.HandleMailAsync(a, cancellationToken)),
        ["RCPT"] = new([SessionState.MailGiven, SessionState.RecipientGiven], static (s, a, cancellationToken) => s.HandleRcptAsync(a, cancellationToken)),
        ["DATA"] = new([SessionState.RecipientGiven], static (s, a, cancellationToken) => s.HandleDataAsync(a, cancellationToken)),
        ["RSET"] = new(Any, static (s, a, cancellationToken) => s.HandleRsetAsync(a, cancellationToken)),
        ["NOOP"] = new(Any, static (s, _, _) => s.ReplyAsync(SmtpReply.Ok)),
        ["QUIT"] = new(Any, static (s, _, _) => s.HandleQuitAsync()),
        ["VRFY"] = new(Any, static (s, a, _) => s.HandleVrfyAsync(a)),
        ["HELP"] = new(Any, static (s, _, _) => s.ReplyAsync(new SmtpReply(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS"))),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Known commands Parley deliberately does not offer (RFC 5321 §4.2.4: 502, not 500).</summary>
    public static readonly FrozenSet<string> NotImplemented =
        new[] { "EXPN", "AUTH", "BDAT", "TURN", "ETRN", "ATRN", "SEND", "SOML", "SAML", "XCLIENT", "XFORWARD" }
            .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The reply to a known command given in the wrong state.</summary>
    public static SmtpReply SequenceError(string verb, SessionState state) => (verb, state) switch
    {
        (_, SessionState.Connected) => SmtpReply.NeedHelo,
        ("MAIL", _) => SmtpReply.NestedMail,
        ("STARTTLS", _) => new SmtpReply(503, "5.5.1", "Error: MAIL transaction in progress"),
        ("RCPT", _) => SmtpReply.NeedMail,
        ("DATA", SessionState.Greeted) => SmtpReply.NeedMail,
        ("DATA", _) => SmtpReply.NeedRcpt,
        _ => new SmtpReply(503, "5.5.1", "Error: bad sequence of commands"),
    };
}
