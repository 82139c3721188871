using System.Net;
using Microsoft.Extensions.Options;
using MimeKit;
using Parley.Core.Inbound;
using Parley.Deliverability.Dns;

namespace Parley.Core.SpamTest;

/// <summary>An external spam engine (spamd, rspamd) asked beside the built-in checks; its score is shown, never mixed in.</summary>
public interface ISpamEngine
{
    /// <summary>Never throws for an engine that is down or answers nonsense: that is a <see cref="EngineVerdict.Note"/>.</summary>
    Task<EngineVerdict> CheckAsync(byte[] raw, CancellationToken cancellationToken);
}

/// <summary>
/// The checks engine: reads the message once with bounds (<see cref="MessageUnderTest"/>), then runs each section —
/// authentication, the providers' rules, reputation, format, content, links, attachments — and any configured engines,
/// and scores the result (<see cref="SpamReport.ScoreOf"/>). The same code scores a spam-test inbox message and
/// <c>parley score FILE.eml</c>. Any input yields a report; a fault in a check is reported, never thrown.
/// </summary>
public sealed class SpamChecker(IDnsResolver dns, TimeProvider clock, IOptions<SpamTestOptions> options, LinkChecks links, IInboundAuthenticator authenticator,
    IReadOnlyList<ISpamEngine> engines)
{
    /// <summary>Authentication-Results are written in the name of this host (the listener's name when it is known).</summary>
    public string AuthServId { get; init; } = "parley.spam-test";

    public async Task<SpamReport> ScoreAsync(SpamTestSubject subject, CancellationToken cancellationToken)
    {
        try
        {
            return await ChecksAsync(subject, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            var check = new SpamCheck("report.error", "The checks could not finish", CheckResult.Fail, SpamReport.Max,
                $"Parley could not finish checking this message ({e.GetType().Name}: {e.Message}). The message is kept; this is a fault in Parley, please report it.");
            var sections = new[] { new SpamSection("report", "Report", [check]) };
            return new SpamReport(SpamReport.ScoreOf(sections), sections, subject.AuthenticationResults, [], [], clock.GetUtcNow());
        }
    }

    /// <summary>
    /// The pre-send prediction: the checks that need no sending and no DNS (format, content, attachments) of a message
    /// not sent yet, scored the same way. Authentication, reputation and links are left out, not counted as passed.
    /// </summary>
    public SpamReport Predict(byte[] raw, CancellationToken cancellationToken)
    {
        var message = MessageUnderTest.Read(raw, cancellationToken);
        var html = HtmlFacts.Read(message.Html, message.Text, cancellationToken);
        var sections = new[] { FormatChecks.Section(message, clock), ContentChecks.Section(message, html), AttachmentChecks.Section(message) };
        return new SpamReport(SpamReport.ScoreOf(sections), sections, null, [], [], clock.GetUtcNow());
    }

    /// <summary>
    /// The prediction for a draft (subject, HTML and/or text) as Parley's composer would write it, with the headers it
    /// writes (Date, Message-ID, From), so only what the writer controls is judged.
    /// </summary>
    public SpamReport PredictDraft(string? subject, string? html, string? text, MailboxAddress from, CancellationToken cancellationToken)
    {
        var message = new MimeMessage { Subject = subject ?? "", Date = clock.GetUtcNow(), MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId() };
        message.From.Add(from);
        message.To.Add(new MailboxAddress("Recipient", "recipient@example.com"));
        message.Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody();
        using var raw = new MemoryStream();
        message.WriteTo(raw, cancellationToken);
        return Predict(raw.ToArray(), cancellationToken);
    }

    private async Task<SpamReport> ChecksAsync(SpamTestSubject subject, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Parsing and the DOM pass are CPU only: off the caller's thread, so a huge message does not hold an I/O loop.
        var (message, html) = await Task.Run(() =>
        {
            var read = MessageUnderTest.Read(subject.Raw, cancellationToken);
            var facts = HtmlFacts.Read(read.Html, read.Text, cancellationToken);
            if (facts.NotParsedBecause is { } why)
            {
                read.Problems.Add($"The HTML was not read for the content rules: {why}");
            }

            return (read, facts);
        }, cancellationToken);

        var engineTasks = engines.Select(e => e.CheckAsync(subject.Raw, cancellationToken)).ToList();
        var auth = await new AuthenticationChecks(dns, clock).GatherAsync(message, subject, cancellationToken);
        var authenticationResults = subject.AuthenticationResults ?? await HeaderAsync(message.Message, subject, cancellationToken);
        var format = FormatChecks.Section(message, clock);
        var providers = new ProviderRuleChecks(dns).SectionAsync(message, subject, auth, format, html, cancellationToken);
        var reputation = new ReputationChecks(dns).SectionAsync(subject, DomainsOf(message.Message, subject, auth, html), settings, cancellationToken);
        var linkSection = links.SectionAsync(html.Links, cancellationToken);
        var sections = new List<SpamSection>
        {
            AuthenticationChecks.Section(auth, subject),
            await providers,
            await reputation,
            format,
            ContentChecks.Section(message, html),
            await linkSection,
            AttachmentChecks.Section(message),
        };
        var verdicts = engineTasks.Count == 0 ? [] : await Task.WhenAll(engineTasks);
        var received = message.Message.Headers.Where(h => h.Id == HeaderId.Received).Take(50).Select(h => Cut(h.Value.ReplaceLineEndings(" "))).ToList();
        return new SpamReport(SpamReport.ScoreOf(sections), sections, authenticationResults, received, verdicts, clock.GetUtcNow());
    }

    /// <summary>The Authentication-Results the inbound authenticator writes, for a message that did not come through the inbox.</summary>
    private async Task<string> HeaderAsync(MimeMessage message, SpamTestSubject subject, CancellationToken cancellationToken)
    {
        var envelope = new InboundEnvelope(subject.ClientIp is null ? "file" : InboundEnvelope.Smtp, subject.ClientIp?.ToString(), subject.Helo, subject.MailFrom ?? "", [], clock.GetUtcNow());
        var result = await authenticator.AuthenticateAsync(new InboundAuthInput(message, subject.Raw, envelope, AuthServId), cancellationToken);
        return result.Header;
    }

    /// <summary>The domains the lists are asked about: From, Return-Path (MAIL FROM), every DKIM d= and every link's host.</summary>
    private static List<string> DomainsOf(MimeMessage message, SpamTestSubject subject, AuthenticationFacts auth, HtmlFacts html)
    {
        var domains = new List<string>();
        if (auth.FromDomain is { } from)
        {
            domains.Add(from);
        }

        var returnPath = subject.MailFrom ?? message.Headers[HeaderId.ReturnPath]?.Trim('<', '>', ' ');
        if (returnPath?.LastIndexOf('@') is int at && at > 0)
        {
            domains.Add(returnPath![(at + 1)..]);
        }

        domains.AddRange(auth.Dkim.Select(d => d.Domain).Where(d => d.Length > 0));
        domains.AddRange(html.Links.Select(l => l.Uri?.IdnHost).OfType<string>().Where(h => !IPAddress.TryParse(h, out _)));
        return domains;
    }

    private static string Cut(string value) => value.Length > 500 ? value[..500] + "…" : value;
}
