using System.Text;
using MimeKit.Cryptography;
using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Tests.Support;

namespace Parley.Deliverability.Tests.Dkim;

/// <summary>
/// The DKIM data of ../shared/conformance/dkim/ (dkimpy's test data: RFC 6376 and RFC 8463 examples).
/// Pre-signed messages are verified as they are; unsigned ones are signed with the data's keys through
/// MimeKit and then verified against each of the data's key records (good, implicit k=, bad version,
/// unknown k=, corrupt key, wrong service type), as dkimpy's own tests do. No case is skipped.
/// </summary>
public sealed class DkimConformanceTests
{
    private static async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(byte[] raw, InMemoryDnsZone zone) =>
        await new DkimMessageVerifier(zone).VerifyAsync(new MemoryStream(raw), CancellationToken.None);

    [Fact]
    public async Task Rfc8463_example_has_a_passing_ed25519_and_a_passing_rsa_signature()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("brisbane._domainkey.football.example.com", DkimTestKeys.BrisbaneRecord)
            .AddTxt("test._domainkey.football.example.com", DkimTestKeys.DnsFile("test.txt"));

        var results = await VerifyAsync(ConformanceData.ReadMessage("dkim/rfc6376.signed.msg"), zone);

        Assert.Equal(["pass d=football.example.com s=brisbane", "pass d=football.example.com s=test"], results.Select(r => r.ToString()));
        Assert.Equal(("ed25519-sha256", 256), (results[0].Algorithm, results[0].KeyBits));
        Assert.Equal(("rsa-sha256", 1024), (results[1].Algorithm, results[1].KeyBits));
    }

    [Fact]
    public async Task Exim_ed25519_signature_passes()
    {
        var zone = new InMemoryDnsZone().AddTxt("sed._domainkey.test.ex", DkimTestKeys.DnsFile("eximtest.dns"));

        var results = await VerifyAsync(ConformanceData.ReadMessage("dkim/ed25519test2.msg"), zone);

        Assert.Equal("pass d=test.ex s=sed", Assert.Single(results).ToString());
    }

    [Fact]
    public async Task Degenerate_folding_in_the_signature_header_still_passes()
    {
        var zone = new InMemoryDnsZone().AddTxt("20120113._domainkey.gmail.com", DkimTestKeys.Gmail20120113Record);

        var results = await VerifyAsync(ConformanceData.ReadMessage("dkim/test2.message"), zone);

        Assert.Equal("pass d=gmail.com s=20120113", Assert.Single(results).ToString());
    }

    [Theory]
    [InlineData("test.txt", DkimResult.Pass, null)]
    [InlineData("test2.txt", DkimResult.Pass, null)]
    [InlineData("badversion.txt", DkimResult.PermError, "is not \"DKIM1\"")]
    [InlineData("badk.txt", DkimResult.PermError, "k=ed25519-sha256 is not a known key type")]
    [InlineData("test_bad.txt", DkimResult.PermError, "not hold a valid RSA public key")]
    [InlineData("test_tlsrpt.txt", DkimResult.PermError, "not for email (s=tlsrpt)")]
    public async Task Test_message_signed_with_test_key_against_each_key_record(string record, DkimResult expected, string? reason)
    {
        var signed = DkimTestKeys.SignWithMimeKit(ConformanceData.ReadMessage("dkim/test.message"), DkimTestKeys.RsaTestKey(), "example.com", "test", DkimSignatureAlgorithm.RsaSha256);
        var zone = new InMemoryDnsZone().AddTxt("test._domainkey.example.com", DkimTestKeys.DnsFile(record));

        var result = Assert.Single(await VerifyAsync(signed, zone));

        Assert.Equal(expected, result.Result);
        if (reason is not null)
        {
            Assert.Contains(reason, result.Reason);
        }
    }

    [Theory]
    [InlineData(DkimCanonicalizationAlgorithm.Simple)]
    [InlineData(DkimCanonicalizationAlgorithm.Relaxed)]
    public async Task Ed25519_test_key_signs_and_verifies(DkimCanonicalizationAlgorithm canonicalization)
    {
        var signed = DkimTestKeys.SignWithMimeKit(ConformanceData.ReadMessage("dkim/ed25519test.msg"), DkimTestKeys.Ed25519Key("ed25519test.key"), "example.net", "test", DkimSignatureAlgorithm.Ed25519Sha256, canonicalization);
        var zone = new InMemoryDnsZone().AddTxt("test._domainkey.example.net", "v=DKIM1; " + DkimTestKeys.DnsFile("ed25519test.dns"));

        Assert.Equal("pass d=example.net s=test", Assert.Single(await VerifyAsync(signed, zone)).ToString());
    }

    [Fact]
    public async Task Rfc8032_key_signs_the_rfc6376_message_verifiable_with_the_rfc8463_record()
    {
        var signed = DkimTestKeys.SignWithMimeKit(ConformanceData.ReadMessage("dkim/rfc6376.msg"), DkimTestKeys.Ed25519Key("rfc8032_7_1.key"), "football.example.com", "brisbane", DkimSignatureAlgorithm.Ed25519Sha256);
        var zone = new InMemoryDnsZone().AddTxt("brisbane._domainkey.football.example.com", DkimTestKeys.BrisbaneRecord);

        Assert.Equal(DkimResult.Pass, Assert.Single(await VerifyAsync(signed, zone)).Result);
    }

    [Fact]
    public async Task Repeated_headers_above_from_are_signed_and_verified()
    {
        var raw = ConformanceData.ReadMessage("dkim/message.mbox");
        var headers = new[] { "Delivered-To", "Delivered-To", "From", "To", "Subject", "Date", "Cc", "MIME-Version", "Content-Type", "Message-Id" };
        var zone = new InMemoryDnsZone().AddTxt("test._domainkey.example.com", DkimTestKeys.DnsFile("test.txt"));
        foreach (var c in new[] { DkimCanonicalizationAlgorithm.Simple, DkimCanonicalizationAlgorithm.Relaxed })
        {
            var signed = DkimTestKeys.SignWithMimeKit(raw, DkimTestKeys.RsaTestKey(), "example.com", "test", DkimSignatureAlgorithm.RsaSha256, c, headers);
            var results = await VerifyAsync(signed, zone);

            // The original kitterman.com signature has no key in this zone; ours is the first header.
            Assert.Equal(DkimResult.Pass, results[0].Result);
            Assert.Equal((DkimResult.PermError, "kitterman.com"), (results[1].Result, results[1].Domain));
        }
    }

    [Fact]
    public async Task Extra_headers_and_no_from_messages()
    {
        var zone = new InMemoryDnsZone().AddTxt("test._domainkey.example.com", DkimTestKeys.DnsFile("test.txt"));
        var extra = DkimTestKeys.SignWithMimeKit(ConformanceData.ReadMessage("dkim/test_extra.message"), DkimTestKeys.RsaTestKey(), "example.com", "test", DkimSignatureAlgorithm.RsaSha256);
        Assert.Equal(DkimResult.Pass, Assert.Single(await VerifyAsync(extra, zone)).Result);

        // test_nofrom.message: a signature that does not cover From is not acceptable (RFC 6376 5.4).
        var noFrom = Encoding.ASCII.GetBytes("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=test; h=to:subject; bh=AAAA; b=AAAA\r\n")
            .Concat(ConformanceData.ReadMessage("dkim/test_nofrom.message")).ToArray();
        var result = Assert.Single(await VerifyAsync(noFrom, zone));
        Assert.Equal(DkimResult.PermError, result.Result);
        Assert.Contains("From header is not signed", result.Reason);
    }
}
