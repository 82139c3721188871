using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Cryptography;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>Signs a test message as a sending domain's own server would, for Parley's checks on arrival to verify.</summary>
public static class DkimSigning
{
    /// <summary>An RSA-SHA256 signature, relaxed/relaxed, over <paramref name="headers"/>; the message is prepared for 7-bit first.</summary>
    public static void Sign(MimeMessage message, RSA key, string domain, string selector, params HeaderId[] headers)
    {
        message.Prepare(EncodingConstraint.SevenBit);
        var signer = new DkimSigner(new MemoryStream(Encoding.ASCII.GetBytes(key.ExportRSAPrivateKeyPem())), domain, selector)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signer.Sign(message, headers);
    }

    /// <summary>The DKIM TXT record of <paramref name="key"/>'s public half, as dnsmasq serves it.</summary>
    public static string TxtRecord(RSA key, string domain, string selector) =>
        DoctorScenario.Txt($"{selector}._domainkey.{domain}", $"v=DKIM1; k=rsa; p={Convert.ToBase64String(key.ExportSubjectPublicKeyInfo())}");
}
