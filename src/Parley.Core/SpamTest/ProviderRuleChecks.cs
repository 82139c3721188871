using MimeKit;
using Parley.Deliverability.Checks;
using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dmarc;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;

namespace Parley.Core.SpamTest;

/// <summary>
/// The mailbox providers' sender rules (Gmail and Yahoo, February 2024; Outlook, May 2025) as a checklist of which
/// ones this email meets. Items that repeat another section's check (DMARC's verdict, the format) carry no points of
/// their own here, so nothing is counted twice.
/// </summary>
public sealed class ProviderRuleChecks(IDnsResolver dns)
{
    /// <summary>Domains only their provider's servers send for: a From there from any other IP is forged.</summary>
    public static readonly IReadOnlySet<string> FreemailDomains = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "gmx.com", "gmx.de", "web.de",
    };

    public async Task<SpamSection> SectionAsync(MessageUnderTest message, SpamTestSubject subject, AuthenticationFacts auth, SpamSection format, HtmlFacts html,
        CancellationToken cancellationToken)
    {
        var checks = new List<SpamCheck>
        {
            auth.SpfPassed && auth.DkimPassed
                ? SpamCheck.Pass("providers.spf-and-dkim", "SPF and DKIM both pass", 1, "Gmail, Yahoo and Outlook ask bulk senders for both.")
                : new SpamCheck("providers.spf-and-dkim", "SPF and DKIM both pass", CheckResult.Fail, 1,
                    $"SPF {(auth.SpfPassed ? "passes" : "does not pass")}, DKIM {(auth.DkimPassed ? "passes" : "does not pass")}; Gmail, Yahoo and Outlook ask bulk senders for both.",
                    new CheckFix("Fix the failing one in the Authentication section above.")),
            DmarcPublished(auth),
            await ReverseDnsAsync(subject, cancellationToken),
            Tls(message, subject),
            Conformance(format),
            Unsubscribe(message, html),
            Freemail(auth),
        };
        return new SpamSection("providers", "Mailbox providers' sender rules", checks);
    }

    private static SpamCheck DmarcPublished(AuthenticationFacts auth)
    {
        const string id = "providers.dmarc", title = "DMARC published and aligned";
        var domain = auth.FromDomain ?? "your-domain";
        var fix = new CheckFix($"Publish a DMARC record for {domain} (at least p=none), then sign with d={domain}.",
            new DnsFix("TXT", "_dmarc." + domain, $"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}"));
        return auth.Dmarc switch
        {
            { Result: DmarcResult.Pass } passed => SpamCheck.Pass(id, title, 1, $"_dmarc.{passed.PolicyDomain} publishes p={passed.PublishedPolicy?.ToString().ToLowerInvariant()}, and the message aligns."),
            // The record exists: the fix is alignment, never a new record that would replace the policy.
            { Result: DmarcResult.Fail } => new SpamCheck(id, title, CheckResult.Fail, 0, "A DMARC record is published, but the message does not align with it (counted under Authentication).",
                new CheckFix($"Send with an envelope sender under {domain}, or sign with d={domain}.")),
            { Result: DmarcResult.TempError } => SpamCheck.Info(id, title, "The DMARC record could not be read."),
            _ => new SpamCheck(id, title, CheckResult.Fail, 1, $"{domain} publishes no DMARC record; Gmail and Yahoo require one (p=none at least) from bulk senders.", fix),
        };
    }

    private async Task<SpamCheck> ReverseDnsAsync(SpamTestSubject subject, CancellationToken cancellationToken)
    {
        const string id = "providers.reverse-dns", title = "Forward-confirmed reverse DNS";
        if (subject.ClientIp is not { } ip)
        {
            return SpamCheck.Info(id, title, "Not checked: the connecting IP is not known.");
        }

        var findings = await new PtrCheck(dns).CheckAsync(ip, null, cancellationToken);
        var finding = findings[0];
        return finding.Severity switch
        {
            FindingSeverity.Pass => SpamCheck.Pass(id, title, 1, finding.Detail),
            FindingSeverity.Warn => new SpamCheck(id, title, CheckResult.Warn, 1, finding.Detail),
            _ => new SpamCheck(id, title, CheckResult.Fail, 1, finding.Detail, new CheckFix(finding.Title + ": ask whoever owns the IP (the hosting provider) to set the record below.", finding.Fix)),
        };
    }

    private static SpamCheck Tls(MessageUnderTest message, SpamTestSubject subject)
    {
        const string id = "providers.tls", title = "TLS on the last hop";
        var tls = subject.Tls ?? TlsFromReceived(message.Message);
        return tls switch
        {
            true => SpamCheck.Pass(id, title, 0.5, "The message came over an encrypted connection."),
            false => new SpamCheck(id, title, CheckResult.Warn, 0.5, "The message came in plain text; Gmail and Outlook mark such mail as not encrypted.",
                new CheckFix("Let the sending server use STARTTLS (Parley does when the receiver offers it).")),
            null => SpamCheck.Info(id, title, "Not known: no Received header says how the message came."),
        };
    }

    /// <summary>The topmost Received header's protocol: ESMTPS, ESMTPSA, UTF8SMTPS… carry TLS (RFC 3848).</summary>
    public static bool? TlsFromReceived(MimeMessage message)
    {
        if (message.Headers.FirstOrDefault(h => h.Id == HeaderId.Received)?.Value is not { } received)
        {
            return null;
        }

        var at = received.IndexOf(" with ", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var protocol = received[(at + 6)..].TrimStart().Split(' ', ';', '\t', '\r', '\n')[0].ToUpperInvariant();
        return protocol.EndsWith('S') || protocol.EndsWith("SA", StringComparison.Ordinal);
    }

    private static SpamCheck Conformance(SpamSection format)
    {
        const string id = "providers.rfc5322", title = "RFC 5322 conformance";
        var failed = format.Checks.Where(c => c.Result == CheckResult.Fail && c.Id is "format.headers" or "format.date" or "format.message-id" or "format.from" or "format.line-length" or "format.header-encoding").ToList();
        return failed.Count == 0
            ? SpamCheck.Pass(id, title, 0, "Date, From and Message-ID are present once and valid; lines and header encoding conform.")
            : new SpamCheck(id, title, CheckResult.Fail, 0, $"Not met: {string.Join(", ", failed.Select(c => c.Title))} (counted under Format).");
    }

    private static SpamCheck Unsubscribe(MessageUnderTest message, HtmlFacts html)
    {
        const string id = "providers.unsubscribe", title = "One-click unsubscribe for bulk mail";
        var headers = message.Message.Headers;
        var bulk = headers.Contains(HeaderId.ListId) || headers.Contains(HeaderId.ListUnsubscribe)
            || headers[HeaderId.Precedence]?.Trim().ToLowerInvariant() is "bulk" or "list";
        if (!bulk)
        {
            return SpamCheck.Info(id, title, "Not bulk mail (no List-Id, List-Unsubscribe or Precedence: bulk): the rule does not apply.");
        }

        var missing = new List<string>();
        var listUnsubscribe = headers[HeaderId.ListUnsubscribe] ?? "";
        if (!listUnsubscribe.Contains("<https:", StringComparison.OrdinalIgnoreCase))
        {
            missing.Add("List-Unsubscribe with an https URL");
        }

        if (!(headers["List-Unsubscribe-Post"] ?? "").Replace(" ", "", StringComparison.Ordinal).Equals("List-Unsubscribe=One-Click", StringComparison.OrdinalIgnoreCase))
        {
            missing.Add("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
        }

        var visible = html.Links.Any(l => (l.Text ?? l.Href).Contains("unsubscribe", StringComparison.OrdinalIgnoreCase))
            || (message.Text + html.VisibleText).Contains("unsubscribe", StringComparison.OrdinalIgnoreCase);
        if (!visible)
        {
            missing.Add("a visible unsubscribe link in the body");
        }

        return missing.Count == 0
            ? SpamCheck.Pass(id, title, 1.5, "List-Unsubscribe (https), List-Unsubscribe-Post: One-Click and a visible unsubscribe link.")
            : new SpamCheck(id, title, CheckResult.Fail, 1.5, $"Bulk mail without {string.Join(", ", missing)}.",
                new CheckFix("Send mailings through Parley's mailings, which add both headers and the link."));
    }

    private static SpamCheck Freemail(AuthenticationFacts auth)
    {
        const string id = "providers.foreign-from", title = "From a domain the sender can use";
        if (auth.FromDomain is not { } domain || !FreemailDomains.Contains(domain))
        {
            return SpamCheck.Pass(id, title, 2, auth.FromDomain is null ? "No From domain." : $"{auth.FromDomain} is not a mailbox provider's own domain.");
        }

        var signedByThem = auth.Dkim.Any(d => d.Result == DkimResult.Pass && d.Domain.Equals(domain, StringComparison.OrdinalIgnoreCase));
        return signedByThem || auth.Dmarc?.Result == DmarcResult.Pass
            ? SpamCheck.Pass(id, title, 2, $"From {domain}, and {domain}'s own servers sent it.")
            : new SpamCheck(id, title, CheckResult.Fail, 2, $"From {domain}, sent from a server that is not {domain}'s: {domain}'s DMARC policy makes receivers reject it.",
                new CheckFix($"Send From an address on your own domain; a {domain} address can only be used through {domain}'s own servers."));
    }
}
