// Evaluation rate of Parley's SPF evaluator over every openspf RFC 7208 test case, each scenario's
// zonedata served from memory. Prints "parley_evals_per_sec=<rate>" on the last line.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Parley.Deliverability.Spf;
using Parley.Deliverability.Tests.Spf.Conformance;

var path = args.Length > 0 ? args[0] : SpfTestSuite.DefaultPath();
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3.0;
var work = SpfTestSuite.Load(path)
    .SelectMany(s => s.Cases.Select(c => (Evaluator: new SpfEvaluator(s.Zone), Ip: IPAddress.Parse(c.Host), c.MailFrom, c.Helo)))
    .ToArray();

async Task<int> RunAsync(TimeSpan duration)
{
    int evaluations = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < duration)
    {
        foreach (var (evaluator, ip, mailFrom, helo) in work)
        {
            await evaluator.CheckMailFromAsync(ip, mailFrom, helo, CancellationToken.None);
            evaluations++;
        }
    }

    return evaluations;
}

await RunAsync(TimeSpan.FromSeconds(1)); // warm-up: JIT, tiering, parse memo
var watch = Stopwatch.StartNew();
var count = await RunAsync(TimeSpan.FromSeconds(seconds));
watch.Stop();
Console.WriteLine($"cases={work.Length} evaluations={count} seconds={watch.Elapsed.TotalSeconds:F2}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parley_evals_per_sec={count / watch.Elapsed.TotalSeconds:F0}"));
