using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MimeKit;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Mailings with real peers: delivered to smtp-sink with the bulk headers; the unsubscribe URL read from the sink's dump
/// and POSTed by curl the way RFC 8058 says makes the next mailing skip the address; a swaks message to the mailto:
/// address unsubscribes; an ARF report sent by swaks marks the email complained.
/// </summary>
public sealed class MailingTests
{
    private const string AliasDomain = "replies.parley.test";

    private static async Task<(ParleyHost Parley, long Template)> SetUpAsync(SmtpSinkPeer sink, params (string Name, string Email, string Tags)[] contacts)
    {
        var parley = await ParleyApi.ServeWithRelayAsync(sink, AliasDomain);
        foreach (var (name, email, tags) in contacts)
        {
            await parley.PostAsync("/api/v1/contacts", new { name, email, tags });
        }
        var template = await parley.AddTemplateAsync("News", "Spring offer for {{ record.first_name }}", "Hello {{ record.name }}!");
        return (parley, template);
    }

    private static async Task<JsonElement> SendMailingAsync(ParleyHost parley, object body)
    {
        using var created = await parley.Api.PostAsync("/api/v1/mailings", JsonBody(body));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var mailing = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("draft", mailing.GetProperty("state").GetString());
        var id = mailing.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/mailings/{id}", created.Headers.Location!.OriginalString);
        await parley.PostAsync($"/api/v1/mailings/{id}/send", new { });
        return await Eventually.UntilAsync(() => parley.GetAsync($"/api/v1/mailings/{id}"), m => m.GetProperty("state").GetString() == "sent",
            TimeSpan.FromSeconds(30), "the mailing ends sent");
    }

    private static StringContent JsonBody(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static string[] ListUnsubscribe(MimeMessage message) =>
        message.Headers["List-Unsubscribe"]!.Split(',').Select(p => p.Trim().Trim('<', '>')).ToArray();

    private static async Task<JsonElement> SuppressionOf(ParleyHost parley, string address) =>
        (await parley.GetAsync($"/api/v1/suppressions?q={Uri.EscapeDataString(address)}")).EnumerateArray().SingleOrDefault();

    [Fact]
    public async Task The_unsubscribe_url_from_the_sink_posted_by_curl_as_RFC_8058_says_makes_the_next_mailing_skip_the_address()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        var (parley, template) = await SetUpAsync(sink, ("Ana", "ana@customer.test", "newsletter"), ("Bruno", "bruno@customer.test", "newsletter,vip"),
            ("Chloé", "chloe@customer.test", "vip"));
        await using var _ = parley;

        var first = await SendMailingAsync(parley, new { name = "Spring offer", templateId = template, tag = "newsletter" });
        Assert.Equal((2, 2, 2, 0), (first.GetProperty("total").GetInt32(), first.GetProperty("sent").GetInt32(), first.GetProperty("delivered").GetInt32(),
            first.GetProperty("suppressed").GetInt32()));
        var messages = (await sink.WaitForMessagesAsync(2, TimeSpan.FromSeconds(20))).Select(m => m.Mime()).ToList();
        Assert.Equal(["ana@customer.test", "bruno@customer.test"], messages.Select(m => m.To.Mailboxes.Single().Address).Order());
        var ana = messages.Single(m => m.To.Mailboxes.Single().Address == "ana@customer.test");
        Assert.Equal("Spring offer for Ana", ana.Subject);
        Assert.Equal("List-Unsubscribe=One-Click", ana.Headers["List-Unsubscribe-Post"]);
        Assert.Equal("bulk", ana.Headers["Precedence"]);
        Assert.Equal($"\"Spring offer\" <mailing-{first.GetProperty("id").GetInt64()}.{AliasDomain}>", ana.Headers["List-Id"]);
        var unsubscribe = ListUnsubscribe(ana);
        var link = unsubscribe.Single(p => p.StartsWith("http", StringComparison.Ordinal));
        Assert.StartsWith($"mailto:unsubscribe+", unsubscribe.Single(p => p.StartsWith("mailto:", StringComparison.Ordinal)));
        Assert.Contains(link, ana.TextBody);

        // A link scanner's GET only shows the question.
        using var anonymous = new HttpClient();
        var page = await anonymous.GetStringAsync(link);
        Assert.Contains("Unsubscribe?", page);
        Assert.Contains("<button type=\"submit\" class=\"primary\">Unsubscribe</button>", page);
        Assert.Equal(JsonValueKind.Undefined, (await SuppressionOf(parley, "ana@customer.test")).ValueKind);

        // RFC 8058 §3.2: a POST of "List-Unsubscribe=One-Click" as a form, without cookies or a token; curl's -d is exactly that.
        var curl = await PeerProcess.RunAsync("/usr/bin/curl",
            ["-s", "-m", "20", "-o", "/dev/null", "-w", "%{http_code}", "-d", "List-Unsubscribe=One-Click", link], TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(0, curl.ExitCode);
        Assert.Equal("200", curl.StandardOutput.Trim());
        var forged = await PeerProcess.RunAsync("/usr/bin/curl",
            ["-s", "-m", "20", "-o", "/dev/null", "-w", "%{http_code}", "-d", "List-Unsubscribe=One-Click", link[..^1] + (link[^1] == '0' ? "1" : "0")],
            TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal("404", forged.StandardOutput.Trim());
        Assert.Equal("unsubscribe", (await SuppressionOf(parley, "ana@customer.test")).GetProperty("reason").GetString());
        Assert.Equal(1, (await parley.GetAsync($"/api/v1/mailings/{first.GetProperty("id").GetInt64()}")).GetProperty("unsubscribed").GetInt32());

        var second = await SendMailingAsync(parley, new { name = "Summer offer", templateId = template, tag = "newsletter" });
        Assert.Equal((2, 1, 1), (second.GetProperty("total").GetInt32(), second.GetProperty("sent").GetInt32(), second.GetProperty("suppressed").GetInt32()));
        var all = await sink.WaitForMessagesAsync(3, TimeSpan.FromSeconds(20));
        Assert.Equal("bruno@customer.test", all[^1].Mime().To.Mailboxes.Single().Address);
        var recipients = await parley.GetAsync($"/api/v1/mailings/{second.GetProperty("id").GetInt64()}/recipients?state=suppressed");
        Assert.Equal("ana@customer.test", recipients.GetProperty("recipients").EnumerateArray().Single().GetProperty("address").GetString());
    }

    [Fact]
    public async Task A_swaks_mail_to_the_mailto_address_unsubscribes_and_an_ARF_report_by_swaks_marks_the_email_complained()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        var (parley, template) = await SetUpAsync(sink, ("Ana", "ana@customer.test", ""), ("Bruno", "bruno@customer.test", ""));
        await using var _ = parley;
        var mailing = await SendMailingAsync(parley, new { name = "Spring offer", templateId = template });
        var id = mailing.GetProperty("id").GetInt64();
        var messages = (await sink.WaitForMessagesAsync(2, TimeSpan.FromSeconds(20))).Select(m => m.Mime()).ToList();
        var ana = messages.Single(m => m.To.Mailboxes.Single().Address == "ana@customer.test");
        var bruno = messages.Single(m => m.To.Mailboxes.Single().Address == "bruno@customer.test");

        var mailto = ListUnsubscribe(ana).Single(p => p.StartsWith("mailto:", StringComparison.Ordinal));
        var address = mailto["mailto:".Length..mailto.IndexOf('?', StringComparison.Ordinal)];
        var unsubscribe = await Swaks.SendAsync(new SwaksOptions
        {
            Port = parley.SmtpPort,
            From = "ana@customer.test",
            To = [address],
            Headers = ["Subject: unsubscribe"],
            Body = "unsubscribe",
        });
        Assert.True(unsubscribe.ExitCode == 0, unsubscribe.Transcript);
        await Eventually.UntilAsync(() => SuppressionOf(parley, "ana@customer.test"), s => s.ValueKind == JsonValueKind.Object,
            TimeSpan.FromSeconds(20), "the mailto: unsubscribe suppresses ana");
        Assert.Equal("unsubscribe", (await SuppressionOf(parley, "ana@customer.test")).GetProperty("reason").GetString());

        var arf = string.Join("\r\n",
            "From: Feedback Loop <fbl@isp.test>", $"To: abuse@{AliasDomain}", "Subject: Complaint", "Date: " + DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture),
            "Message-ID: <arf-e2e@isp.test>", "MIME-Version: 1.0", "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"", "",
            "--b", "Content-Type: text/plain", "", "A complaint about a message from your network.", "",
            "--b", "Content-Type: message/feedback-report", "", "Feedback-Type: abuse", "User-Agent: ISP-FBL/1.0", "Version: 1",
            "Original-Rcpt-To: <bruno@customer.test>", "Source-IP: 127.0.0.1", "",
            "--b", "Content-Type: text/rfc822-headers", "", $"Message-ID: {bruno.Headers["Message-ID"]}", $"Subject: {bruno.Subject}", "To: bruno@customer.test", "",
            "--b--", "");
        var complaint = await Swaks.SendAsync(new SwaksOptions { Port = parley.SmtpPort, From = "fbl@isp.test", To = [$"abuse@{AliasDomain}"], Data = arf });
        Assert.True(complaint.ExitCode == 0, complaint.Transcript);
        var counts = await Eventually.UntilAsync(() => parley.GetAsync($"/api/v1/mailings/{id}"), m => m.GetProperty("complained").GetInt32() == 1,
            TimeSpan.FromSeconds(20), "the ARF report marks bruno's email complained");
        Assert.Equal(1, counts.GetProperty("unsubscribed").GetInt32());
        Assert.Equal("complaint", (await SuppressionOf(parley, "bruno@customer.test")).GetProperty("reason").GetString());
        var recipient = (await parley.GetAsync($"/api/v1/mailings/{id}/recipients")).GetProperty("recipients").EnumerateArray()
            .Single(r => r.GetProperty("address").GetString() == "bruno@customer.test");
        Assert.Equal(JsonValueKind.String, recipient.GetProperty("complainedAt").ValueKind);
    }

    [Fact]
    public async Task A_mailing_to_contacts_in_two_languages_reaches_the_sink_each_in_its_language()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        var (parley, template) = await SetUpAsync(sink);
        await using var _ = parley;
        var ana = (await parley.PostAsync("/api/v1/contacts", new { name = "Ana Lima", email = "ana@customer.test", language = "PT" })).GetProperty("id").GetInt64();
        await parley.AddContactAsync("Bruno Sousa", "bruno@customer.test");
        using (var refused = await parley.Api.PutAsync($"/api/v1/templates/{template}/translations/fr",
            JsonBody(new { subject = "Offre pour {{ record.prenom }}", body = "Bonjour" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("record.prenom", await refused.Content.ReadAsStringAsync());
        }
        using (var saved = await parley.Api.PutAsync($"/api/v1/templates/{template}/translations/pt",
            JsonBody(new { subject = "Oferta de primavera para {{ record.first_name }}", body = "Olá {{ record.name }}!" })))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }
        var preview = await parley.PostAsync($"/api/v1/templates/{template}/preview", new { recordId = ana });
        Assert.Equal("Oferta de primavera para Ana", preview.GetProperty("subject").GetString());
        var english = await parley.PostAsync($"/api/v1/templates/{template}/preview", new { recordId = ana, language = "en" });
        Assert.Equal(HttpStatusCode.BadRequest, (await parley.Api.PostAsync($"/api/v1/templates/{template}/preview", JsonBody(new { recordId = ana, language = "de" }))).StatusCode);
        Assert.Equal("Spring offer for Ana", english.GetProperty("subject").GetString());

        var mailing = await SendMailingAsync(parley, new { name = "Spring offer", templateId = template });
        var messages = (await sink.WaitForMessagesAsync(2, TimeSpan.FromSeconds(20))).Select(m => m.Mime()).ToList();
        var toAna = messages.Single(m => m.To.Mailboxes.Single().Address == "ana@customer.test");
        var toBruno = messages.Single(m => m.To.Mailboxes.Single().Address == "bruno@customer.test");
        Assert.Equal(("Oferta de primavera para Ana", "Spring offer for Bruno"), (toAna.Subject, toBruno.Subject));
        Assert.StartsWith("Olá Ana Lima!", toAna.TextBody);
        Assert.StartsWith("Hello Bruno Sousa!", toBruno.TextBody);
        var recipients = (await parley.GetAsync($"/api/v1/mailings/{mailing.GetProperty("id").GetInt64()}/recipients")).GetProperty("recipients").EnumerateArray()
            .ToDictionary(r => r.GetProperty("address").GetString()!, r => r.GetProperty("language").GetString());
        Assert.Equal(("pt", "en"), (recipients["ana@customer.test"], recipients["bruno@customer.test"]));
    }

    [Fact]
    public async Task A_relay_answering_421_4_7_0_slows_that_domain_down_without_failing_messages()
    {
        await using var sink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions
        {
            SoftReject = ["RCPT"],
            ExtraArguments = ["-b", "421 4.7.0 Too many messages, slow down"],
            Verbose = true,
        });
        var (parley, template) = await SetUpAsync(sink, ("Ana", "ana@customer.test", ""), ("Bruno", "bruno@customer.test", ""), ("Chloé", "chloe@customer.test", ""));
        await using var _ = parley;

        // A first email elsewhere makes the alias domain's DKIM keys (the first outbox pass takes a moment for it), and
        // throttles only its own domain.
        var other = await parley.AddContactAsync("Otto", "otto@elsewhere.test");
        await parley.PostAsync($"/api/v1/records/contact/{other}/messages", new { kind = "email", subject = "Hello", body = "Hi Otto" });
        await Eventually.UntilAsync(() => parley.GetAsync("/api/v1/outbox?state=deferred"), o => o.GetArrayLength() == 1, TimeSpan.FromSeconds(30),
            "the first email meets the 421");

        // Paced at one every five seconds, so the first answer is known before the others are due.
        using var created = await parley.Api.PostAsync("/api/v1/mailings", JsonBody(new { name = "Spring offer", templateId = template, perHour = 720 }));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        await parley.PostAsync($"/api/v1/mailings/{id}/send", new { });
        var deferred = await Eventually.UntilAsync(() => parley.GetAsync("/api/v1/outbox?state=deferred"), o => o.GetArrayLength() == 4,
            TimeSpan.FromSeconds(45), "all three emails of the mailing are deferred");

        var rows = deferred.EnumerateArray().Where(r => r.GetProperty("recipient").GetString()!.EndsWith("@customer.test", StringComparison.Ordinal)).ToList();
        var probe = Assert.Single(rows, r => r.GetProperty("attempts").GetInt32() == 1);
        Assert.Equal(421, probe.GetProperty("lastCode").GetInt32());
        var held = rows.Where(r => r.GetProperty("attempts").GetInt32() == 0).ToList();
        Assert.Equal(2, held.Count);
        Assert.All(held, r => Assert.Contains("Parley is slowing down for customer.test, whose server asked it to", r.GetProperty("lastError").GetString()));
        Assert.All(rows, r => Assert.True(r.GetProperty("nextAttemptAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(30),
            $"{r.GetProperty("recipient").GetString()} comes back after the throttle, not at once"));
        Assert.Equal(0, (await parley.GetAsync("/api/v1/outbox?state=failed")).GetArrayLength());
        var mailing = await parley.GetAsync($"/api/v1/mailings/{id}");
        Assert.Equal(("sending", 3, 0), (mailing.GetProperty("state").GetString(), mailing.GetProperty("deferred").GetInt32(), mailing.GetProperty("failed").GetInt32()));
        Assert.Equal(1, sink.Log.Split('\n').Count(l => l.Contains("RCPT TO:", StringComparison.OrdinalIgnoreCase) && l.Contains("@customer.test", StringComparison.Ordinal)));
    }
}
