using System.CommandLine;
using System.Net;
using Parley.Deliverability.Spf;

namespace Parley.Cli;

/// <summary>`parley spf check`: RFC 7208 check_host() for one connection, result word on the first line.</summary>
public static class SpfCommand
{
    public static Command Create()
    {
        var ip = new Option<string>("--ip") { Description = "The connecting client's IP address", Required = true };
        var sender = new Option<string>("--sender") { Description = "The MAIL FROM address (empty: the HELO identity is checked)", Required = true };
        var helo = new Option<string>("--helo") { Description = "The HELO/EHLO name", Required = true };
        var dns = DeliverabilityCli.DnsOption();
        var check = new Command("check", "Evaluate SPF for a sender. Prints pass, fail, softfail, neutral, none, temperror or permerror on the first line, then the explanation. Exit code 0 when the check ran, 1 for bad arguments.")
        {
            ip, sender, helo, dns,
        };
        check.SetAction(async (parse, cancellationToken) =>
        {
            if (!IPAddress.TryParse(parse.GetValue(ip), out var address))
            {
                await Console.Error.WriteLineAsync($"--ip '{parse.GetValue(ip)}' is not an IP address.");
                return 1;
            }

            if (!DeliverabilityCli.TryCreateResolver(parse.GetValue(dns), out var resolver))
            {
                return 1;
            }

            var result = await new SpfEvaluator(resolver).CheckMailFromAsync(address, parse.GetValue(sender), parse.GetValue(helo)!, cancellationToken);
            Console.WriteLine(result.Verdict.ToToken());
            if (result.Domain is not null)
            {
                Console.WriteLine($"domain: {result.Domain}");
            }

            if (result.Mechanism is not null)
            {
                Console.WriteLine($"mechanism: {result.Mechanism}");
            }

            if (result.Problem is not null)
            {
                Console.WriteLine($"problem: {result.Problem}");
            }

            if (result.Explanation is not null)
            {
                Console.WriteLine($"explanation: {result.Explanation}");
            }

            Console.WriteLine($"lookups: {result.DnsLookups} (void: {result.VoidLookups})");
            return 0;
        });
        return new Command("spf", "SPF tools") { check };
    }
}
