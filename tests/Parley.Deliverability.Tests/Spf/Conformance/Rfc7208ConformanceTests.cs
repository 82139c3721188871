using System.Net;
using Parley.Deliverability.Spf;
using Parley.Deliverability.Tests.Spf.Conformance;
using Xunit.Abstractions;

namespace Parley.Deliverability.Tests.Spf.Conformance;

/// <summary>
/// Every test of the openspf RFC 7208 suite, one theory case each, run through the in-memory resolver.
/// No case is skipped. Where the suite accepts several results, any of them passes; where it gives an
/// explanation, it is compared exactly ("DEFAULT" means no exp= text was produced).
/// </summary>
public sealed class Rfc7208ConformanceTests(ITestOutputHelper output)
{
    private static readonly Lazy<IReadOnlyList<SpfSuiteScenario>> Suite = new(() => SpfTestSuite.Load());

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var scenario in Suite.Value)
        {
            foreach (var test in scenario.Cases)
            {
                data.Add(test.Id);
            }
        }

        return data;
    }

    [Fact]
    public void Suite_has_all_203_tests_in_16_scenarios()
    {
        Assert.Equal(16, Suite.Value.Count);
        Assert.Equal(203, Suite.Value.Sum(s => s.Cases.Count));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Rfc7208(string id)
    {
        var scenario = Suite.Value.Single(s => s.Cases.Any(c => c.Id == id));
        var test = scenario.Cases.Single(c => c.Id == id);
        var evaluator = new SpfEvaluator(scenario.Zone);

        var result = await evaluator.CheckMailFromAsync(IPAddress.Parse(test.Host), test.MailFrom, test.Helo, CancellationToken.None);

        output.WriteLine($"{id}: helo={test.Helo} ip={test.Host} mailfrom={test.MailFrom}");
        output.WriteLine($"got {result.Verdict.ToToken()} via '{result.Mechanism}' at {result.Domain}; problem: {result.Problem}; explanation: {result.Explanation}; lookups {result.DnsLookups}, void {result.VoidLookups}");
        Assert.Contains(result.Verdict.ToToken(), test.Results);
        if (test.Explanation is { } expected)
        {
            Assert.Equal(expected == "DEFAULT" ? null : expected, result.Explanation);
        }
    }
}
