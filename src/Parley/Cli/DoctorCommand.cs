using System.CommandLine;
using System.Net;
using Parley.Deliverability.Checks;
using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Spectre.Console;

namespace Parley.Cli;

/// <summary>`parley doctor DOMAIN`: the DNS checks of a domain against how Parley sends for it.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var domain = new Argument<string>("domain") { Description = "The domain Parley sends as (the From domain)" };
        var dns = DeliverabilityCli.DnsOption();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON: {domain, checkedAt, findings: [{id, area, severity, title, detail, fix?}]}" };
        var selectors = new Option<string[]>("--dkim-selector") { Description = "A DKIM selector Parley signs with; repeat for several. SELECTOR or SELECTOR=PUBLIC-KEY-BASE64 to also check the key matches" };
        var ip = new Option<string?>("--sending-ip") { Description = "The IP address Parley delivers from directly (checks SPF, reverse DNS and block lists for it)" };
        var ehlo = new Option<string?>("--ehlo") { Description = "The host name Parley greets with and announces in EHLO: checked to be a full domain name resolving to --sending-ip, which reverse DNS should name" };
        var relay = new Option<string?>("--relay-include") { Description = "The SPF include of the relay Parley sends through (e.g. _spf.relay.example)" };
        var bounce = new Option<string?>("--bounce-domain") { Description = "The envelope (MAIL FROM) domain, the SPF identity; default: DOMAIN" };
        var alias = new Option<string?>("--alias-domain") { Description = "The domain replies and bounces come back to (its MX is checked)" };
        var receiving = new Option<string[]>("--receiving-host") { Description = "A host name Parley receives mail on (the alias domain's MX should name it); repeatable" };
        var fetchMtaSts = new Option<bool>("--fetch-mta-sts") { Description = "Also fetch the MTA-STS policy over HTTPS" };
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = "Check against how the Parley installation in this data directory sends DOMAIN (its relays, public IP, DKIM selectors, " +
                "alias domain and host name) instead of the setup options; nothing there is changed",
        };
        var database = CommonOptions.Database();
        var command = new Command("doctor", "Check SPF, DKIM, DMARC, MX, reverse DNS, block lists, MTA-STS, TLS-RPT, BIMI and DNSSEC of a domain against Parley's sending setup, with the exact records to publish. " +
            "Exit code: 0 when no check fails, 2 when at least one fails, 75 when the DNS server did not answer (nothing was checked; try again), 1 for bad arguments.")
        {
            domain, dns, json, selectors, ip, ehlo, relay, bounce, alias, receiving, fetchMtaSts, dataDir, database,
        };
        Option[] setupOptions = [selectors, ip, ehlo, relay, bounce, alias, receiving];
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!DeliverabilityCli.TryCreateResolver(parse.GetValue(dns), out var resolver))
            {
                return 1;
            }

            SendingSetup setup;
            IReadOnlyList<Finding> notes = [];
            if (parse.GetValue(dataDir) is { } installation)
            {
                if (setupOptions.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
                {
                    await Console.Error.WriteLineAsync($"--data-dir takes the setup from the installation; leave out {given.Name}.");
                    return 1;
                }

                var (loaded, error) = await InstallationSetup.LoadAsync(installation, parse.GetValue(database), parse.GetValue(domain)!, cancellationToken);
                if (loaded is null)
                {
                    await Console.Error.WriteLineAsync(error);
                    return 1;
                }

                (setup, notes) = (loaded.Setup, loaded.Notes);
            }
            else if (SetupFromOptions(parse, domain, selectors, ip, ehlo, relay, bounce, alias, receiving) is { } given)
            {
                setup = given;
            }
            else
            {
                return 1;
            }

            using var http = parse.GetValue(fetchMtaSts) ? HttpMtaStsPolicyFetcher.CreateClient() : null;
            var doctor = new DomainDoctor(resolver, mtaStsFetcher: http is null ? null : new HttpMtaStsPolicyFetcher(http));
            var report = InstallationSetup.WithNotes(await doctor.CheckAsync(setup, cancellationToken), notes);
            if (parse.GetValue(json))
            {
                Console.WriteLine(DoctorReportJson.Serialize(report));
            }
            else if (report.IsTemporaryFailure)
            {
                // One line, and none about the domain: nothing about it is known.
                var detail = report.Findings.Single(f => f.Id == DoctorReport.TemporaryFailureId).Detail;
                Console.WriteLine("temperror: " + char.ToLowerInvariant(detail[0]) + detail[1..]);
            }
            else
            {
                Print(report);
            }

            return report.IsTemporaryFailure ? 75 : report.HasFailures ? 2 : 0;
        });
        return command;
    }

    /// <summary>The setup the options describe; null (after saying why) when one cannot be used.</summary>
    private static SendingSetup? SetupFromOptions(ParseResult parse, Argument<string> domain, Option<string[]> selectors, Option<string?> ip, Option<string?> ehlo,
        Option<string?> relay, Option<string?> bounce, Option<string?> alias, Option<string[]> receiving)
    {
        var routes = new List<SendingRoute>();
        if (parse.GetValue(ip) is { } ipText)
        {
            if (!IPAddress.TryParse(ipText, out var address))
            {
                Console.Error.WriteLine($"--sending-ip '{ipText}' is not an IP address.");
                return null;
            }

            routes.Add(SendingRoute.Direct(address, parse.GetValue(ehlo)));
        }

        if (parse.GetValue(relay) is { Length: > 0 } include)
        {
            routes.Add(SendingRoute.Relay(include));
        }

        return new SendingSetup
        {
            Domain = parse.GetValue(domain)!,
            Routes = routes,
            DkimSelectors = (parse.GetValue(selectors) ?? []).Select(ParseSelector).ToArray(),
            BounceDomain = parse.GetValue(bounce),
            AliasDomain = parse.GetValue(alias),
            HostName = parse.GetValue(ehlo),
            HostAddress = routes.FirstOrDefault(r => r.IsDirect)?.Ip,
            ReceivingHosts = parse.GetValue(receiving) ?? [],
        };
    }

    private static DkimSelectorSetup ParseSelector(string text)
    {
        int eq = text.IndexOf('=');
        return eq > 0 ? new DkimSelectorSetup(text[..eq].Trim(), text[(eq + 1)..].Trim()) : new DkimSelectorSetup(text.Trim());
    }

    private static void Print(DoctorReport report)
    {
        var console = AnsiConsole.Console;
        console.MarkupLine($"[bold]Domain doctor: {Markup.Escape(report.Domain)}[/] [grey]({report.CheckedAt:u})[/]");
        foreach (var area in report.Findings.GroupBy(f => f.AreaOf()))
        {
            console.WriteLine();
            console.MarkupLine($"[bold underline]{Markup.Escape(area.Key.ToUpperInvariant())}[/]");
            foreach (var finding in area)
            {
                var (colour, word) = finding.Severity switch
                {
                    FindingSeverity.Pass => ("green", "pass"),
                    FindingSeverity.Info => ("blue", "info"),
                    FindingSeverity.Warn => ("yellow", "warn"),
                    _ => ("red", "FAIL"),
                };
                console.MarkupLine($"  [{colour}]{word,-4}[/] {Markup.Escape(finding.Title)} [grey]({Markup.Escape(finding.Id)})[/]");
                console.MarkupLine($"       {Markup.Escape(finding.Detail)}");
                if (finding.Fix is { } fix && finding.Severity >= FindingSeverity.Warn)
                {
                    var value = fix.Type == "TXT" ? TxtStrings.ToZoneText(fix.Value) : fix.Value;
                    console.MarkupLine($"       [bold]publish:[/] {Markup.Escape(fix.Name)}. IN {Markup.Escape(fix.Type)} {Markup.Escape(value)}");
                }
            }
        }

        var fails = report.Findings.Count(f => f.Severity == FindingSeverity.Fail);
        var warns = report.Findings.Count(f => f.Severity == FindingSeverity.Warn);
        console.WriteLine();
        console.MarkupLine(fails > 0 ? $"[red]{fails} failing, {warns} warning[/]" : warns > 0 ? $"[yellow]no failure, {warns} warning[/]" : "[green]all checks pass[/]");
    }
}

/// <summary>What the deliverability verbs share: the --dns option and the resolver it builds.</summary>
internal static class DeliverabilityCli
{
    public static Option<string?> DnsOption() => new("--dns") { Description = "DNS server to ask, HOST:PORT (IP address); default: the system's resolvers" };

    public static bool TryCreateResolver(string? server, out IDnsResolver resolver)
    {
        resolver = null!;
        var options = new DnsOptions();
        if (server is not null)
        {
            if (!DnsOptions.TryParseServer(server, out _))
            {
                Console.Error.WriteLine($"--dns '{server}' is not HOST:PORT with an IP address host.");
                return false;
            }

            options.Servers = [server];
        }

        resolver = new CachingDnsResolver(new DnsClientResolver(options), TimeProvider.System, options);
        return true;
    }
}
