using System.Text;
using Microsoft.Extensions.Time.Testing;
using MimeKit.Cryptography;
using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Tests.Support;

namespace Parley.Deliverability.Tests.Dkim;

public sealed class DkimVerifierRobustnessTests
{
    private static readonly string TestRecord = DkimTestKeys.DnsFile("test.txt");

    private static byte[] Signed() => DkimTestKeys.SignWithMimeKit(ConformanceData.ReadMessage("dkim/test.message"), DkimTestKeys.RsaTestKey(), "example.com", "test", DkimSignatureAlgorithm.RsaSha256);

    private static async Task<DkimSignatureResult> VerifyOneAsync(byte[] raw, IDnsResolver dns, TimeProvider? time = null) =>
        Assert.Single(await new DkimMessageVerifier(dns, time).VerifyAsync(new MemoryStream(raw), CancellationToken.None));

    private static byte[] WithSignature(string signatureHeader) =>
        Encoding.ASCII.GetBytes("DKIM-Signature: " + signatureHeader + "\r\n").Concat(ConformanceData.ReadMessage("dkim/test.message")).ToArray();

    [Theory]
    [InlineData(DnsStatus.ServerFailure)]
    [InlineData(DnsStatus.Timeout)]
    public async Task Dns_failure_on_the_key_is_temperror(DnsStatus status)
    {
        var zone = new InMemoryDnsZone().AddFailure("test._domainkey.example.com", status);

        var result = await VerifyOneAsync(Signed(), zone);

        Assert.Equal((DkimResult.TempError, "example.com", "test"), (result.Result, result.Domain, result.Selector));
    }

    [Fact]
    public async Task Missing_and_revoked_keys_are_permerror()
    {
        Assert.Equal(DkimResult.PermError, (await VerifyOneAsync(Signed(), new InMemoryDnsZone())).Result);

        var revoked = await VerifyOneAsync(Signed(), new InMemoryDnsZone().AddTxt("test._domainkey.example.com", "v=DKIM1; k=rsa; p="));
        Assert.Equal(DkimResult.PermError, revoked.Result);
        Assert.Contains("revoked", revoked.Reason);
    }

    [Fact]
    public async Task Changed_header_fails_on_the_signature_and_changed_body_on_the_body_hash()
    {
        var zone = new InMemoryDnsZone().AddTxt("test._domainkey.example.com", TestRecord);
        var text = Encoding.Latin1.GetString(Signed());

        var header = await VerifyOneAsync(Encoding.Latin1.GetBytes(text.Replace("Subject: Testing", "Subject: Testing!", StringComparison.Ordinal)), zone);
        var body = await VerifyOneAsync(Encoding.Latin1.GetBytes(text.Replace("This is a test", "This was a test", StringComparison.Ordinal)), zone);

        Assert.Equal(DkimResult.Fail, header.Result);
        Assert.Contains("signature did not verify", header.Reason);
        Assert.Equal(DkimResult.Fail, body.Result);
        Assert.Contains("body hash", body.Reason);
    }

    [Fact]
    public async Task Testing_flag_is_reported()
    {
        var zone = new InMemoryDnsZone().AddTxt("test._domainkey.example.com", TestRecord.Replace("g=*;", "g=*; t=y;", StringComparison.Ordinal));

        var result = await VerifyOneAsync(Signed(), zone);

        Assert.Equal((DkimResult.Pass, true), (result.Result, result.Testing));
    }

    [Theory]
    [InlineData("garbage without tags", DkimResult.Neutral, "malformed")]
    [InlineData("v=1; a=rsa-sha256; d=example.com; s=test; h=from; bh=AAAA; b=AAAA; d=other.com", DkimResult.Neutral, "more than once")]
    [InlineData("v=2; a=rsa-sha256; d=example.com; s=test; h=from; bh=AAAA; b=AAAA", DkimResult.Neutral, "version")]
    [InlineData("v=1; a=rsa-md5; d=example.com; s=test; h=from; bh=AAAA; b=AAAA", DkimResult.Neutral, "unknown algorithm")]
    [InlineData("v=1; a=rsa-sha1; d=example.com; s=test; h=from; bh=AAAA; b=AAAA", DkimResult.PermError, "RFC 8301")]
    [InlineData("v=1; a=rsa-sha256; d=example.com; s=test; h=from; bh=AAAA; b=AAAA; i=joe@evil.test", DkimResult.PermError, "not in the signing domain")]
    [InlineData("v=1; a=rsa-sha256; d=example.com; s=test; h=from; bh=AAAA; b=AAAA; x=1000", DkimResult.PermError, "expired")]
    [InlineData("v=1; a=rsa-sha256; d=example.com; s=test; h=from; bh=AAAA", DkimResult.Neutral, "b= tag is missing")]
    [InlineData("v=1; a=rsa-sha256; d=exa..mple.com; s=test; h=from; bh=AAAA; b=AAAA", DkimResult.PermError, "not a valid DNS name")]
    [InlineData("v=1; a=ed25519-sha256; d=example.com; s=test; h=from; bh=AAAA; b=AAAA", DkimResult.PermError, "the key is k=rsa")]
    public async Task Bad_signatures_get_a_result_and_a_reason_never_an_exception(string signature, DkimResult expected, string reason)
    {
        var zone = new InMemoryDnsZone().AddTxt("test._domainkey.example.com", TestRecord);

        var result = await VerifyOneAsync(WithSignature(signature), zone, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(50)));

        Assert.Equal(expected, result.Result);
        Assert.Contains(reason, result.Reason);
    }

    [Fact]
    public async Task Short_rsa_key_is_not_accepted()
    {
        // dkimpy's 512-bit sample key.
        var zone = new InMemoryDnsZone().AddTxt("test._domainkey.example.com",
            "k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBANmBe10IgY+u7h3enWTukkqtUD5PR52Tb/mPfjC0QJTocVBq6Za/PlzfV+Py92VaCak19F4WrbVTK5Gg5tW220MCAwEAAQ==");

        var result = await VerifyOneAsync(Signed(), zone);

        Assert.Equal((DkimResult.PermError, 512), (result.Result, result.KeyBits));
    }

    [Fact]
    public async Task Unsigned_and_unparseable_messages_have_no_results()
    {
        var verifier = new DkimMessageVerifier(new InMemoryDnsZone());

        Assert.Empty(await verifier.VerifyAsync(new MemoryStream(ConformanceData.ReadMessage("dkim/test.message")), CancellationToken.None));
        Assert.Empty(await verifier.VerifyAsync(new MemoryStream([0, 1, 2, 0xff]), CancellationToken.None));
    }
}
