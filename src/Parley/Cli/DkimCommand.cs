using System.CommandLine;
using Parley.Deliverability.Dkim;

namespace Parley.Cli;

/// <summary>`parley dkim verify FILE.eml`: one line per DKIM-Signature ("pass d=example.com s=sel"); exit 0 only when all pass.</summary>
public static class DkimCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The message (.eml, raw RFC 5322)" };
        var dns = DeliverabilityCli.DnsOption();
        var verify = new Command("verify", "Verify every DKIM signature of a message. Prints one line per signature: pass, fail, neutral, temperror or permerror with d= and s= (and why), or 'none' when unsigned. " +
            "Exit code: 0 when every signature passes, 2 when one does not (or there is none), 1 when the file cannot be read or an argument is wrong.")
        {
            file, dns,
        };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"{path.FullName} does not exist.");
                return 1;
            }

            if (!DeliverabilityCli.TryCreateResolver(parse.GetValue(dns), out var resolver))
            {
                return 1;
            }

            await using var stream = path.OpenRead();
            var results = await new DkimMessageVerifier(resolver).VerifyAsync(stream, cancellationToken);
            if (results.Count == 0)
            {
                Console.WriteLine("none (the message has no DKIM-Signature)");
            }

            foreach (var result in results)
            {
                Console.WriteLine(result.ToString());
            }

            // As doctor's: a script can trust 0 to mean the message is vouched for, and only then.
            return results.Count > 0 && results.All(r => r.Result == DkimResult.Pass) ? 0 : 2;
        });
        return new Command("dkim", "DKIM tools") { verify };
    }
}
