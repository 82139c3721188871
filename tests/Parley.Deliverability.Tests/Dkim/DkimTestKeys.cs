using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Parley.Deliverability.Tests.Support;

namespace Parley.Deliverability.Tests.Dkim;

/// <summary>Keys and records of the conformance data, and signing through MimeKit (Parley's outbound signer).</summary>
public static class DkimTestKeys
{
    /// <summary>RFC 8463 appendix A.2: brisbane._domainkey.football.example.com (the RFC 8032 7.1 test key).</summary>
    public const string BrisbaneRecord = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    /// <summary>20120113._domainkey.gmail.com, as dkimpy's test_dkim.py serves it for test2.message.</summary>
    public const string Gmail20120113Record =
        "k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1Kd87/UeJjenpabgbFwh+eBCsSTrqmwIYYvywlbhbqoo2DymndFkbjOVIPIldNs/m40KF+yzMn1skyoxcTUGCQs8g3FgD2Ap3ZB5DekAo5wMmk4wimDO+U8QzI3SD07y2+07wlNWwIt8svnxgdxGkVbbhzY8i+RQ9DpSVpPbF7ykQxtKXkv/ahW3KjViiAH+ghvvIhkx4xYSIc9oSwVmAl5OctMEeWUwg8Istjqz8BZeTWbf41fbNhte7Y+YqZOwq1Sd0DbvYAD9NOZK9vlfuac0598HY+vtSBczUiKERHv1yRbcaQtZFh5wtiRrN04BLUTD21MycBX5jYchHjPY/wIDAQAB";

    public static string DnsFile(string name) => ConformanceData.ReadText("dkim/" + name).Trim();

    public static AsymmetricKeyParameter RsaTestKey() => ReadPem(ConformanceData.ReadText("dkim/test.private"));

    public static AsymmetricKeyParameter ReadPem(string pem)
    {
        using var reader = new StringReader(pem);
        return new Org.BouncyCastle.OpenSsl.PemReader(reader).ReadObject() switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter key => key,
            var other => throw new InvalidDataException("not a private key: " + other?.GetType()),
        };
    }

    public static Ed25519PrivateKeyParameters Ed25519Key(string file) =>
        new(Convert.FromBase64String(DnsFile(file)), 0);

    public static MimeMessage Load(byte[] raw) => MimeMessage.Load(new MemoryStream(raw));

    /// <summary>Signs with MimeKit and returns the message bytes (CRLF) with the new DKIM-Signature on top.</summary>
    public static byte[] SignWithMimeKit(byte[] raw, AsymmetricKeyParameter key, string domain, string selector, DkimSignatureAlgorithm algorithm,
        DkimCanonicalizationAlgorithm canonicalization = DkimCanonicalizationAlgorithm.Relaxed, string[]? headers = null)
    {
        var message = Load(raw);
        var signer = new DkimSigner(key, domain, selector, algorithm)
        {
            HeaderCanonicalizationAlgorithm = canonicalization,
            BodyCanonicalizationAlgorithm = canonicalization,
        };
        signer.Sign(message, headers ?? ["From", "To", "Subject", "Date", "Message-ID"]);
        using var output = new MemoryStream();
        message.WriteTo(FormatOptions.Default.Clone() is var options ? WithCrLf(options) : FormatOptions.Default, output);
        return output.ToArray();
    }

    private static FormatOptions WithCrLf(FormatOptions options)
    {
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }
}
