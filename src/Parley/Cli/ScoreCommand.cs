using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Options;
using Parley.Core.Inbound;
using Parley.Core.SpamTest;

namespace Parley.Cli;

/// <summary>`parley score FILE.eml`: the spam test's checks on a message file, the score on the first line ("9.3/10").</summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The message, as raw RFC 5322 (.eml)" };
        var ip = new Option<string?>("--ip") { Description = "The IP address that sent it (SPF, reverse DNS and block lists need it)" };
        var helo = new Option<string?>("--helo") { Description = "The HELO/EHLO name the sender greeted with" };
        var mailFrom = new Option<string?>("--mail-from") { Description = "The envelope sender (MAIL FROM), the SPF identity" };
        var dns = DeliverabilityCli.DnsOption();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON: {score, band, sections: [{id, title, checks: [{id, title, result, points, lost, detail, fix?}]}], …}" };
        var noLinks = new Option<bool>("--no-links") { Description = "Do not fetch the message's links" };
        var spamd = new Option<string?>("--spamd") { Description = "Also ask SpamAssassin's spamd at HOST:PORT (its verdict is shown beside the score)" };
        var rspamd = new Option<string?>("--rspamd") { Description = "Also ask rspamd at HOST:PORT or URL (POST /checkv2; shown beside the score)" };
        var command = new Command("score", "Score a message out of 10 as the spam test does (docs/spam-score.md): authentication, the mailbox providers' rules, reputation, format, content, links and attachments. " +
            "Prints the score on the first line (\"9.3/10\"), then each check with its points and fix. Exit code 0 when the message was scored, 1 for bad arguments or an unreadable file.")
        {
            file, ip, helo, mailFrom, dns, json, noLinks, spamd, rspamd,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            IPAddress? address = null;
            if (parse.GetValue(ip) is { } ipText && !IPAddress.TryParse(ipText, out address))
            {
                await Console.Error.WriteLineAsync($"--ip '{ipText}' is not an IP address.");
                return 1;
            }

            if (!DeliverabilityCli.TryCreateResolver(parse.GetValue(dns), out var resolver))
            {
                return 1;
            }

            byte[] raw;
            try
            {
                raw = await File.ReadAllBytesAsync(parse.GetValue(file)!.FullName, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"Cannot read {parse.GetValue(file)!.FullName}: {e.Message}");
                return 1;
            }

            var options = new SpamTestOptions { FetchLinks = !parse.GetValue(noLinks), Spamd = parse.GetValue(spamd), Rspamd = parse.GetValue(rspamd) };
            using var links = new LinkChecks(resolver, options);
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var checker = new SpamChecker(resolver, TimeProvider.System, Options.Create(options), links, new DeliverabilityInboundAuthenticator(resolver, TimeProvider.System),
                SpamEngines.From(options, http));
            var report = await checker.ScoreAsync(new SpamTestSubject(raw, address, parse.GetValue(helo), parse.GetValue(mailFrom)), cancellationToken);
            Console.WriteLine(parse.GetValue(json) ? SpamReportJson.Serialize(report, indented: true) : SpamReportText.Format(report));
            return 0;
        });
        return command;
    }
}
