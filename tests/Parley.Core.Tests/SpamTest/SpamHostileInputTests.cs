using System.Diagnostics;
using System.Text;
using Parley.Core.SpamTest;

namespace Parley.Core.Tests.SpamTest;

/// <summary>
/// Any message, however broken, gets a report that says what is broken, within a time bound, never an exception: the
/// issue's list (no headers, 50 MB, multiparts 100 deep, invalid base64 and quoted-printable, NUL bytes, 8-bit headers,
/// a million recipients in To).
/// </summary>
public sealed class SpamHostileInputTests
{
    /// <summary>Generous for a shared 2-core machine; the bound is 2 s of CPU per message.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private const string Head = "From: Shop <news@shop.test>\r\nTo: a@b.test\r\nSubject: x\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\nMessage-ID: <h@shop.test>\r\nMIME-Version: 1.0\r\n";

    private static async Task<SpamReport> ScoreBoundedAsync(byte[] raw)
    {
        var clock = Stopwatch.StartNew();
        var report = await SpamMessages.ScoreAsync(new SpamMessage(), raw);
        clock.Stop();
        Assert.True(clock.Elapsed < Bound, $"scoring took {clock.Elapsed}");
        Assert.Null(report.Find("report.error"));
        Assert.InRange(report.Score, 0, 10);
        return report;
    }

    private static void Failed(SpamReport report, string id, string? detail = null)
    {
        var check = report.Find(id)!;
        Assert.Equal(CheckResult.Fail, check.Result);
        if (detail is not null)
        {
            Assert.Contains(detail, check.Detail);
        }
    }

    [Fact]
    public async Task No_headers_at_all()
    {
        var report = await ScoreBoundedAsync(Encoding.ASCII.GetBytes("just some words\r\nand more\r\n"));
        Failed(report, "format.headers");
        Failed(report, "format.from");
    }

    [Fact]
    public async Task An_empty_message()
    {
        var report = await ScoreBoundedAsync([]);
        Failed(report, "format.headers");
    }

    [Fact]
    public async Task Fifty_megabytes()
    {
        var body = new StringBuilder(Head + "Content-Type: text/plain; charset=utf-8\r\n\r\n");
        var line = new string('x', 76) + "\r\n";
        while (body.Length < 50 * 1024 * 1024)
        {
            body.Append(line);
        }

        var report = await ScoreBoundedAsync(Encoding.ASCII.GetBytes(body.ToString()));
        Failed(report, "format.size", "MB");
    }

    [Fact]
    public async Task Multiparts_nested_100_deep()
    {
        var text = new StringBuilder(Head);
        for (var i = 0; i < 100; i++)
        {
            text.Append($"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
        }

        text.Append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        for (var i = 99; i >= 0; i--)
        {
            text.Append($"--b{i}--\r\n");
        }

        var report = await ScoreBoundedAsync(Encoding.ASCII.GetBytes(text.ToString()));
        Failed(report, "format.structure", "nested");
    }

    [Fact]
    public async Task Invalid_base64_and_quoted_printable()
    {
        var raw = Head + "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%not base64%%%\r\n" +
            "--x\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>=ZZbroken =4</p>\r\n--x--\r\n";
        var report = await ScoreBoundedAsync(Encoding.ASCII.GetBytes(raw));
        Failed(report, "format.structure", "base64");
        Assert.Contains("quoted-printable", report.Find("format.structure")!.Detail);
    }

    [Fact]
    public async Task Nul_bytes_and_8_bit_headers()
    {
        var raw = Encoding.Latin1.GetBytes("From: J\u00fcrgen <j@shop.test>\r\nSubject: \u00c4rger\0\r\nTo: a@b.test\r\n\r\nbody\0with nul\r\n");
        var report = await ScoreBoundedAsync(raw);
        Failed(report, "format.nul");
        Failed(report, "format.header-encoding");
    }

    [Fact]
    public async Task A_million_recipients_in_To()
    {
        var to = new StringBuilder("To: ");
        for (var i = 0; i < 1_000_000; i++)
        {
            to.Append(i == 0 ? "" : ",\r\n ").Append("r").Append(i).Append("@shop.test");
        }

        var raw = Encoding.ASCII.GetBytes("From: Shop <news@shop.test>\r\n" + to + "\r\nSubject: x\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\nMessage-ID: <m@shop.test>\r\n\r\nHello\r\n");
        var report = await ScoreBoundedAsync(raw);
        Failed(report, "format.recipients");
        Failed(report, "format.structure", "To");
    }

    [Fact]
    public async Task Html_nested_deeper_than_the_display_allows_is_not_parsed_but_reported()
    {
        var html = string.Concat(Enumerable.Repeat("<div>", 5000)) + "deep" + string.Concat(Enumerable.Repeat("</div>", 5000));
        var report = await ScoreBoundedAsync(Encoding.ASCII.GetBytes(Head + "Content-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n"));
        Failed(report, "format.structure", "HTML was not read");
    }
}
