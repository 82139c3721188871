using System.Text;
using MimeKit;
using Parley.Core.SpamTest;

namespace Parley.Core.Tests.SpamTest;

/// <summary>
/// Each rule of the checks engine has a message that hits it, and the clean message does not: one change to the clean
/// email at a time (docs/spam-score.md lists every id). DNS comes from an in-memory zone; the end-to-end tests use dnsmasq.
/// </summary>
public sealed class SpamRuleTests
{
    private static readonly SpamMessage Clean = new();

    private static byte[] Raw(SpamMessage m, Func<string, string> edit) => Encoding.Latin1.GetBytes(edit(Encoding.Latin1.GetString(m.ToBytes())));

    /// <summary>Check id → the clean message with one thing wrong (and, for byte-level faults, its bytes edited).</summary>
    public static readonly TheoryData<string, string> Rules = new()
    {
        { "auth.spf", "spf-fail" }, { "auth.spf-helo", "helo-fail" }, { "auth.dkim", "unsigned" }, { "auth.dkim-coverage", "l-tag" }, { "auth.dmarc", "spf-fail-unsigned" },
        { "auth.alignment", "foreign-dkim" }, { "providers.spf-and-dkim", "unsigned" }, { "providers.dmarc", "no-dmarc" }, { "providers.reverse-dns", "no-ptr" },
        { "providers.tls", "plain" }, { "providers.unsubscribe", "bulk" }, { "providers.foreign-from", "gmail" }, { "reputation.ip-blocklists", "listed-ip" },
        { "reputation.domain-blocklists", "listed-link" }, { "format.headers", "no-headers" }, { "format.date", "no-date" }, { "format.message-id", "bad-message-id" },
        { "format.from", "two-froms" }, { "format.subject", "no-subject" }, { "format.mime-version", "no-mime-version" }, { "format.structure", "bad-base64" },
        { "format.text-alternative", "html-only" }, { "format.charset", "bad-charset" }, { "format.size", "large-html" }, { "format.line-length", "long-line" },
        { "format.header-encoding", "8bit-header" }, { "format.nul", "nul" }, { "format.recipients", "many-to" }, { "content.gtube", "gtube" },
        { "content.subject-caps", "caps" }, { "content.subject-punctuation", "bang" }, { "content.money", "money" }, { "content.urgency", "urgency" },
        { "content.image-ratio", "image-only" }, { "content.image-alt", "no-alt" }, { "content.pixel-only", "pixel" }, { "content.hidden-text", "hidden" },
        { "content.active", "script" }, { "content.shortener", "shortener" }, { "content.link-mismatch", "mismatch" }, { "content.ip-links", "ip-link" },
        { "attachments.risky", "exe" }, { "attachments.size", "big-attachment" },
    };

    private static (SpamMessage Message, byte[]? Raw) Variant(string name) => name switch
    {
        "spf-fail" => (Clean with { Ip = "198.51.100.7" }, null),
        "helo-fail" => (Clean with { Helo = "nohelo.shop.test" }, null),
        "unsigned" => (Clean with { Sign = false }, null),
        "l-tag" => (Clean, null),
        "spf-fail-unsigned" => (Clean with { Ip = "198.51.100.7", Sign = false }, null),
        "foreign-dkim" => (Clean with { SigningDomain = "other.test" }, null),
        "no-dmarc" => (Clean with { From = "Other <news@other.test>", MailFrom = "bounce@other.test" }, null),
        "no-ptr" => (Clean with { Ip = "198.51.100.8" }, null),
        "plain" => (Clean with { Tls = false }, null),
        "bulk" => (Clean with { Headers = [("List-Id", "<news.shop.test>"), ("Precedence", "bulk")] }, null),
        "gmail" => (Clean with { From = "Ana <ana.shop@gmail.com>" }, null),
        "listed-ip" => (Clean with { Ip = "198.51.100.7" }, null),
        "listed-link" => (Clean with { Html = Clean.Html!.Replace("https://shop.test/orders/1042", "https://listed.test/orders/1042", StringComparison.Ordinal) }, null),
        "no-headers" => (Clean, Encoding.ASCII.GetBytes("Hello, this is only a body.\r\nNo header at all.\r\n")),
        "no-date" => (Clean, Raw(Clean with { Sign = false }, s => Remove(s, "Date"))),
        "bad-message-id" => (Clean, Raw(Clean with { Sign = false }, s => s.Replace("<1042.1@shop.test>", "1042", StringComparison.Ordinal))),
        "two-froms" => (Clean, Raw(Clean with { Sign = false }, s => "From: Mallory <m@other.test>\r\n" + s)),
        "no-subject" => (Clean with { Subject = "" }, null),
        "no-mime-version" => (Clean, Raw(Clean with { Sign = false }, s => Remove(s, "MIME-Version"))),
        "bad-base64" => (Clean, Encoding.ASCII.GetBytes("From: Shop <news@shop.test>\r\nTo: a@b.test\r\nSubject: x\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\nMessage-ID: <b@shop.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVsbG8**!!gd29ybGQ=\r\n")),
        "html-only" => (Clean with { TextPart = false }, null),
        "bad-charset" => (Clean, Encoding.ASCII.GetBytes("From: Shop <news@shop.test>\r\nTo: a@b.test\r\nSubject: x\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\nMessage-ID: <b@shop.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\nHello\r\n")),
        "large-html" => (Clean with { Html = "<html><body>" + string.Concat(Enumerable.Repeat("<p>Your order 1042 left our warehouse today.</p>\n", 2600)) + "</body></html>" }, null),
        "long-line" => (Clean, Encoding.ASCII.GetBytes("From: Shop <news@shop.test>\r\nTo: a@b.test\r\nSubject: x\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\nMessage-ID: <b@shop.test>\r\n\r\n" + new string('a', 1200) + "\r\n")),
        "8bit-header" => (Clean, Encoding.Latin1.GetBytes("From: Shop <news@shop.test>\r\nTo: a@b.test\r\nSubject: Caf\u00e9 cr\u00e8me\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\nMessage-ID: <b@shop.test>\r\n\r\nHello\r\n")),
        "nul" => (Clean, Encoding.ASCII.GetBytes("From: Shop <news@shop.test>\r\nTo: a@b.test\r\nSubject: x\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\nMessage-ID: <b@shop.test>\r\n\r\nHel\0lo\r\n")),
        "many-to" => (Clean, Raw(Clean with { Sign = false }, s => s.Replace("To: test-abcdefghijkm@in.parley.test", "To: " + string.Join(", ", Enumerable.Range(0, 60).Select(i => $"r{i}@shop.test")), StringComparison.Ordinal))),
        "gtube" => (Clean with { Text = Clean.Text + "\r\n" + ContentChecks.Gtube + "\r\n" }, null),
        "caps" => (Clean with { Subject = "YOUR ORDER HAS SHIPPED" }, null),
        "bang" => (Clean with { Subject = "Your order has shipped!!!" }, null),
        "money" => (Clean with { Text = Clean.Text + "100% free, make money with no credit check.\r\n" }, null),
        "urgency" => (Clean with { Text = Clean.Text + "Act now: limited time, final notice!\r\n" }, null),
        "image-only" => (Clean with { Html = "<html><body><img src=\"https://shop.test/a.png\" alt=\"Offer\" width=\"600\" height=\"800\"><p>Hi</p></body></html>" }, null),
        "no-alt" => (Clean with { Html = Clean.Html!.Replace("</body>", "<img src=\"https://shop.test/logo.png\" width=\"100\" height=\"40\"></body>", StringComparison.Ordinal) }, null),
        "pixel" => (Clean with { TextPart = false, Html = "<html><body><img src=\"https://shop.test/p.gif\" width=\"1\" height=\"1\"></body></html>" }, null),
        "hidden" => (Clean with { Html = Clean.Html!.Replace("</body>", "<div style=\"font-size:0\">cheap pills viagra</div></body>", StringComparison.Ordinal) }, null),
        "script" => (Clean with { Html = Clean.Html!.Replace("</body>", "<script>alert(1)</script><form action=\"https://shop.test/x\"><input name=p></form></body>", StringComparison.Ordinal) }, null),
        "shortener" => (Clean with { Html = Clean.Html!.Replace("https://shop.test/orders/1042", "https://bit.ly/3xYz", StringComparison.Ordinal) }, null),
        "mismatch" => (Clean with { Html = Clean.Html!.Replace("https://shop.test/orders/1042", "https://evil.example/login", StringComparison.Ordinal) }, null),
        "ip-link" => (Clean with { Html = Clean.Html!.Replace("https://shop.test/orders/1042", "http://203.0.113.9/orders", StringComparison.Ordinal) }, null),
        "exe" => (Clean with { Attachments = [new MimePart("application", "octet-stream") { FileName = "invoice.exe", Content = new MimeContent(new MemoryStream([77, 90, 0, 1])), ContentTransferEncoding = ContentEncoding.Base64 }] }, null),
        "big-attachment" => (Clean with { Attachments = [new MimePart("application", "pdf") { FileName = "catalogue.pdf", Content = new MimeContent(new MemoryStream(new byte[27 * 1024 * 1024])), ContentTransferEncoding = ContentEncoding.Base64 }] }, null),
        _ => throw new ArgumentException(name),
    };

    private static string Remove(string raw, string header)
    {
        // MimeKit writes the platform's line ending; either kind works here.
        var lines = raw.Split('\n').ToList();
        var at = lines.FindIndex(l => l.StartsWith(header + ":", StringComparison.OrdinalIgnoreCase));
        Assert.True(at >= 0, $"no {header} header to remove");
        lines.RemoveAt(at);
        return string.Join('\n', lines);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task A_rule_fires_on_the_message_made_to_hit_it_and_not_on_the_clean_one(string id, string variant)
    {
        var clean = await SpamMessages.ScoreAsync(Clean);
        var cleanCheck = clean.Find(id) ?? throw new Xunit.Sdk.XunitException($"The clean report has no check {id}.");
        Assert.True(cleanCheck.Result is CheckResult.Pass or CheckResult.Info, $"{id} on the clean message: {cleanCheck.Result}: {cleanCheck.Detail}");

        var (message, raw) = Variant(variant);
        if (variant == "l-tag")
        {
            raw = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(message.ToBytes()).Replace("DKIM-Signature: v=1;", "DKIM-Signature: v=1; l=10;", StringComparison.Ordinal));
        }

        var report = await SpamMessages.ScoreAsync(message, raw);
        var check = report.Find(id) ?? throw new Xunit.Sdk.XunitException($"The report has no check {id}.");
        Assert.True(check.Result is CheckResult.Fail or CheckResult.Warn, $"{id} on {variant}: {check.Result}: {check.Detail}");
        Assert.True(check.Lost > 0 || check.Points == 0, $"{id} failed without costing points");
        Assert.True(report.Score < clean.Score || check.Points == 0, $"{variant} scores {report.Score}, the clean message {clean.Score}");
        Assert.False(string.IsNullOrWhiteSpace(check.Detail));
    }

    [Fact]
    public async Task The_clean_authenticated_aligned_message_scores_at_least_9_5()
    {
        var report = await SpamMessages.ScoreAsync(Clean);

        var lost = report.Sections.SelectMany(s => s.Checks).Where(c => c.Lost > 0).Select(c => $"{c.Id}: {c.Detail}");
        Assert.True(report.Score >= 9.5, $"{report.Score}: {string.Join("; ", lost)}");
        Assert.Equal("excellent", report.Band);
        Assert.Equal("pass", report.Find("auth.dkim")!.Result.ToString().ToLowerInvariant());
        Assert.Contains("dkim=pass header.d=shop.test", report.AuthenticationResults);
    }

    [Fact]
    public async Task A_typical_spam_scores_at_most_4()
    {
        var spam = Clean with
        {
            Ip = "198.51.100.20",
            Sign = false,
            TextPart = false,
            Subject = "YOU HAVE WON A PRIZE!!!",
            Html = "<html><body><p>Claim now: <a href=\"https://bit.ly/win\">https://shop.test/prize</a> or <a href=\"http://203.0.113.9/x\">paypal.com</a></p></body></html>",
        };

        var report = await SpamMessages.ScoreAsync(spam);

        Assert.True(report.Score <= 4, $"{report.Score}");
        Assert.Equal("fail", report.Find("auth.spf")!.Result.ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task The_score_is_10_minus_failed_points_with_warnings_counting_half()
    {
        var report = await SpamMessages.ScoreAsync(Clean with { Tls = false, Subject = "YOUR ORDER HAS SHIPPED" });

        // providers.tls is a warning (0.5 → 0.25), content.subject-caps a failure (1).
        var lost = report.Sections.SelectMany(s => s.Checks).Sum(c => c.Lost);
        Assert.Equal(Math.Round(10 - lost, 1), report.Score);
        Assert.Equal(0.25, report.Find("providers.tls")!.Lost);
        Assert.Equal(1, report.Find("content.subject-caps")!.Lost);
    }

    [Fact]
    public async Task Dns_findings_carry_the_record_to_publish()
    {
        var report = await SpamMessages.ScoreAsync(Clean with { From = "Other <news@other.test>", MailFrom = "bounce@other.test", Ip = "198.51.100.8" });

        Assert.Equal(("TXT", "_dmarc.other.test"), (report.Find("providers.dmarc")!.Fix!.Record!.Type, report.Find("providers.dmarc")!.Fix!.Record!.Name));
        Assert.Equal("PTR", report.Find("providers.reverse-dns")!.Fix!.Record!.Type);
        Assert.StartsWith("v=spf1 ip4:198.51.100.8", report.Find("auth.spf")!.Fix!.Record!.Value);
    }

    [Fact]
    public async Task A_published_dmarc_record_is_never_offered_for_replacement()
    {
        var report = await SpamMessages.ScoreAsync(Clean with { Ip = "198.51.100.7", Sign = false });

        var dmarc = report.Find("providers.dmarc")!;
        Assert.Equal((CheckResult.Fail, 0.0), (dmarc.Result, dmarc.Points));
        Assert.Null(dmarc.Fix!.Record);
    }
}
