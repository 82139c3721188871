using MimeKit;

namespace Parley.Core.Inbound;

/// <summary>
/// Recognises machine-sent mail (RFC 3834 Auto-Submitted, Precedence bulk/junk/list, X-Autoreply,
/// X-Autorespond, delivery reports): Parley never answers it, never forwards it to followers and never
/// starts a new conversation from it, which is what keeps two auto-responders from looping through it.
/// </summary>
public static class AutoSubmitted
{
    /// <summary>Why the message is automatic, in words, or null for a message a person sent.</summary>
    public static string? Reason(MimeMessage message)
    {
        var auto = message.Headers[HeaderId.AutoSubmitted]?.Trim();
        if (!string.IsNullOrEmpty(auto) && !auto.StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return $"Auto-Submitted: {Short(auto)}";
        }

        var precedence = message.Headers["Precedence"]?.Trim().ToLowerInvariant();
        if (precedence is "bulk" or "junk" or "list" or "auto_reply")
        {
            return $"Precedence: {precedence}";
        }

        if (message.Headers.Contains("X-Autoreply"))
        {
            return "X-Autoreply";
        }

        if (message.Headers.Contains("X-Autorespond"))
        {
            return "X-Autorespond";
        }

        if (message.Headers["X-Auto-Response-Suppress"] is { } suppress && suppress.Contains("All", StringComparison.OrdinalIgnoreCase))
        {
            return "X-Auto-Response-Suppress: All";
        }

        if (message.Body is MultipartReport)
        {
            return "a delivery or read report";
        }

        return null;
    }

    private static string Short(string value) => value.Length <= 60 ? value : value[..60];
}
