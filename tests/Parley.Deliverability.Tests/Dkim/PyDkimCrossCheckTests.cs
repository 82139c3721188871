using System.Security.Cryptography;
using System.Text;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Tests.Support;
using Parley.Testing;

namespace Parley.Deliverability.Tests.Dkim;

/// <summary>
/// Parley and Debian's python3-dkim agree: what dkimpy signs Parley verifies, what MimeKit (Parley's
/// outbound signer) signs dkimpy verifies, with fresh RSA-2048 and Ed25519 keys, both canonicalizations,
/// and a body changed after signing fails on both sides.
/// </summary>
public sealed class PyDkimCrossCheckTests
{
    private static readonly string[] Messages = ["dkim/test.message", "dkim/rfc6376.msg", "dkim/message.mbox"];

    [Fact]
    public async Task Dkimpy_signatures_verify_in_parley_and_parley_signatures_verify_in_dkimpy()
    {
        var cancellationToken = CancellationToken.None;
        using var rsa = RSA.Create(2048);
        var rsaPem = rsa.ExportRSAPrivateKeyPem();
        var rsaRecord = "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        var ed = new Ed25519PrivateKeyParameters(new SecureRandom());
        var edSeed = Convert.ToBase64String(ed.GetEncoded());
        var edRecord = "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(ed.GeneratePublicKey().GetEncoded());
        var records = new Dictionary<string, string>
        {
            ["rsa._domainkey.cross.test"] = rsaRecord,
            ["ed._domainkey.cross.test"] = edRecord,
        };
        var zone = new InMemoryDnsZone();
        foreach (var (name, text) in records)
        {
            zone.AddTxt(name, SplitTxt(text));
        }

        var verifier = new DkimMessageVerifier(zone);
        var headers = new[] { "From", "To", "Subject", "Date", "Message-ID" };
        int checkedCount = 0;
        foreach (var file in Messages)
        {
            var raw = ConformanceData.ReadMessage(file);
            foreach (var canon in new[] { "relaxed/relaxed", "simple/simple", "relaxed/simple" })
            {
                foreach (var (selector, algorithm, key) in new[] { ("rsa", "rsa-sha256", rsaPem), ("ed", "ed25519-sha256", edSeed) })
                {
                    var byPython = await PyDkim.SignAsync(raw, "cross.test", selector, key, algorithm, canon, headers, cancellationToken);
                    var ours = await verifier.VerifyAsync(new MemoryStream(byPython), cancellationToken);
                    Assert.True(ours[0].Result == DkimResult.Pass, $"{file} {canon} {algorithm} signed by dkimpy: {ours[0]}");

                    var tampered = Tamper(byPython);
                    Assert.Equal(DkimResult.Fail, (await verifier.VerifyAsync(new MemoryStream(tampered), cancellationToken))[0].Result);
                    checkedCount++;
                }
            }

            foreach (var c in new[] { DkimCanonicalizationAlgorithm.Relaxed, DkimCanonicalizationAlgorithm.Simple })
            {
                var byMimeKit = DkimTestKeys.SignWithMimeKit(raw, DkimTestKeys.ReadPem(rsaPem), "cross.test", "rsa", DkimSignatureAlgorithm.RsaSha256, c, headers);
                var byMimeKitEd = DkimTestKeys.SignWithMimeKit(raw, ed, "cross.test", "ed", DkimSignatureAlgorithm.Ed25519Sha256, c, headers);
                Assert.True((await PyDkim.VerifyAsync(byMimeKit, records, cancellationToken))[0], $"{file} {c} rsa signed by MimeKit, verified by dkimpy");
                Assert.True((await PyDkim.VerifyAsync(byMimeKitEd, records, cancellationToken))[0], $"{file} {c} ed25519 signed by MimeKit, verified by dkimpy");
                Assert.False((await PyDkim.VerifyAsync(Tamper(byMimeKit), records, cancellationToken))[0]);
                checkedCount++;
            }
        }

        Assert.Equal(Messages.Length * 8, checkedCount);
    }

    [Fact]
    public async Task Dkimpy_signature_over_repeated_received_headers_verifies()
    {
        // dkimpy's test_extra_headers: MimeKit refuses to sign Received, dkimpy does not; Parley must verify it.
        var raw = ConformanceData.ReadMessage("dkim/message.mbox");
        var zone = new InMemoryDnsZone().AddTxt("test._domainkey.example.com", DkimTestKeys.DnsFile("test.txt"));
        var signed = await PyDkim.SignAsync(raw, "example.com", "test", ConformanceData.ReadText("dkim/test.private"), "rsa-sha256", "relaxed/simple",
            ["received", "received", "received", "from", "to", "subject", "date", "mime-version", "content-type"], CancellationToken.None);

        var results = await new DkimMessageVerifier(zone).VerifyAsync(new MemoryStream(signed), CancellationToken.None);

        Assert.Equal("pass d=example.com s=test", results[0].ToString());
    }

    private static byte[] Tamper(byte[] message)
    {
        var text = Encoding.Latin1.GetString(message);
        int body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        return Encoding.Latin1.GetBytes(text[..body] + "Tampered. " + text[body..]);
    }

    /// <summary>A 2048-bit key does not fit one 255-octet string; publish it the way DNS requires.</summary>
    private static string[] SplitTxt(string text) => text.Chunk(255).Select(c => new string(c)).ToArray();
}
