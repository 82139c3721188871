using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dmarc;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Tests.Dmarc;

public sealed class DmarcEvaluatorTests
{
    private static DkimSignatureResult Dkim(DkimResult result, string domain) => new() { Result = result, Domain = domain, Selector = "s" };

    private static InMemoryDnsZone Zone(string record = "v=DMARC1; p=reject; sp=quarantine; np=reject") => new InMemoryDnsZone()
        .AddTxt("_dmarc.example.test", record)
        .AddA("example.test", "192.0.2.1")
        .AddA("news.example.test", "192.0.2.2");

    private static Task<DmarcEvaluation> EvaluateAsync(InMemoryDnsZone zone, string from, SpfVerdict spf, string? spfDomain, params DkimSignatureResult[] dkim) =>
        new DmarcEvaluator(zone).EvaluateAsync(new DmarcEvaluationInput(from, spf, spfDomain, dkim), CancellationToken.None);

    [Fact]
    public async Task Aligned_dkim_passes_even_when_spf_fails()
    {
        var result = await EvaluateAsync(Zone(), "example.test", SpfVerdict.Fail, "bounce.other.test", Dkim(DkimResult.Pass, "mail.example.test"));

        Assert.Equal((DmarcResult.Pass, true, false, "mail.example.test"), (result.Result, result.DkimAligned, result.SpfAligned, result.AlignedDkimDomain));
        Assert.Equal(DmarcPolicy.None, result.Disposition);
    }

    [Fact]
    public async Task Relaxed_spf_alignment_uses_the_organizational_domain_and_strict_does_not()
    {
        var relaxed = await EvaluateAsync(Zone(), "example.test", SpfVerdict.Pass, "bounces.example.test");
        var strict = await EvaluateAsync(Zone("v=DMARC1; p=reject; aspf=s"), "example.test", SpfVerdict.Pass, "bounces.example.test");

        Assert.Equal(DmarcResult.Pass, relaxed.Result);
        Assert.Equal((DmarcResult.Fail, DmarcPolicy.Reject), (strict.Result, strict.Disposition));
    }

    [Fact]
    public async Task Failing_mail_gets_p_sp_or_np_by_where_the_from_domain_is()
    {
        var own = await EvaluateAsync(Zone(), "example.test", SpfVerdict.SoftFail, "example.test", Dkim(DkimResult.Fail, "example.test"));
        var sub = await EvaluateAsync(Zone(), "news.example.test", SpfVerdict.None, null);
        var nonExistent = await EvaluateAsync(Zone(), "nope.example.test", SpfVerdict.None, null, Dkim(DkimResult.Pass, "evil.test"));

        Assert.Equal((DmarcResult.Fail, DmarcPolicy.Reject), (own.Result, own.Disposition));
        Assert.Equal((DmarcResult.Fail, DmarcPolicy.Quarantine, "example.test"), (sub.Result, sub.Disposition, sub.PolicyDomain));
        Assert.Equal((DmarcResult.Fail, DmarcPolicy.Reject), (nonExistent.Result, nonExistent.Disposition));
    }

    [Fact]
    public async Task Test_mode_softens_the_disposition_by_one_step()
    {
        var result = await EvaluateAsync(Zone("v=DMARC1; p=reject; t=y"), "example.test", SpfVerdict.Fail, "example.test");
        var legacyPct0 = await EvaluateAsync(Zone("v=DMARC1; p=quarantine; pct=0"), "example.test", SpfVerdict.Fail, "example.test");

        Assert.Equal((DmarcPolicy.Reject, DmarcPolicy.Quarantine, true), (result.PublishedPolicy!.Value, result.Disposition, result.TestMode));
        Assert.Equal(DmarcPolicy.None, legacyPct0.Disposition);
    }

    [Fact]
    public async Task No_record_is_none_dns_failure_is_temperror_bad_from_is_permerror()
    {
        Assert.Equal(DmarcResult.None, (await EvaluateAsync(new InMemoryDnsZone(), "example.test", SpfVerdict.Pass, "example.test")).Result);
        Assert.Equal(DmarcResult.TempError, (await EvaluateAsync(new InMemoryDnsZone().AddFailure("_dmarc.example.test", DnsStatus.ServerFailure), "example.test", SpfVerdict.Pass, "example.test")).Result);
        Assert.Equal(DmarcResult.PermError, (await EvaluateAsync(Zone(), "not a domain", SpfVerdict.Pass, "example.test")).Result);
    }

    [Fact]
    public async Task Psd_record_makes_the_organizational_domain_one_label_below()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("_dmarc.psd.test", "v=DMARC1; p=reject; psd=y")
            .AddA("shop.psd.test", "192.0.2.3");

        // shop.psd.test and mail.other.psd.test are different organizations under a public suffix domain.
        var result = await EvaluateAsync(zone, "shop.psd.test", SpfVerdict.Pass, "mail.other.psd.test", Dkim(DkimResult.Pass, "shop.psd.test"));
        var unaligned = await EvaluateAsync(zone, "shop.psd.test", SpfVerdict.Pass, "mail.other.psd.test");

        Assert.Equal(DmarcResult.Pass, result.Result);
        Assert.Equal(DmarcResult.Fail, unaligned.Result);
    }
}
