using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;

namespace Parley.Deliverability.Dkim;

/// <summary>
/// Parses DKIM key records ourselves (not through MimeKit) so that the doctor and the verifier can
/// say exactly what is wrong: version, key type, revoked key, service type, flags, key size.
/// </summary>
public static class DkimKeyRecordParser
{
    public static DkimKeyParseResult Parse(string text)
    {
        if (!DkimTagList.TryParse(text, out var tags, out var error))
        {
            return new DkimKeyParseResult(null, error);
        }

        // RFC 6376 3.6.1: v= is optional, but when present it must be the first tag and exactly "DKIM1".
        if (tags.TryGetValue("v", out var version))
        {
            if (version != "DKIM1")
            {
                return new DkimKeyParseResult(null, $"v={version} is not \"DKIM1\"");
            }

            if (!text.TrimStart().StartsWith("v", StringComparison.Ordinal))
            {
                return new DkimKeyParseResult(null, "v=DKIM1 must be the first tag");
            }
        }

        if (!tags.TryGetValue("p", out var p))
        {
            return new DkimKeyParseResult(null, "the p= tag (public key) is missing");
        }

        var keyTypeText = tags.GetValueOrDefault("k") ?? "rsa";
        DkimKeyType keyType;
        switch (keyTypeText.ToLowerInvariant())
        {
            case "rsa": keyType = DkimKeyType.Rsa; break;
            case "ed25519": keyType = DkimKeyType.Ed25519; break;
            default: return new DkimKeyParseResult(null, $"k={keyTypeText} is not a known key type (rsa, ed25519)");
        }

        var flags = List(tags.GetValueOrDefault("t"));
        var record = new DkimKeyRecord
        {
            Text = text,
            KeyType = keyType,
            PublicKeyBase64 = DkimTagList.StripWhitespace(p),
            Testing = flags.Contains("y", StringComparer.OrdinalIgnoreCase),
            StrictIdentity = flags.Contains("s", StringComparer.OrdinalIgnoreCase),
            HashAlgorithms = List(tags.GetValueOrDefault("h")),
            ServiceTypes = tags.TryGetValue("s", out var services) ? List(services) : ["*"],
        };

        if (record.Revoked)
        {
            return new DkimKeyParseResult(record, null);
        }

        if (!TryDecodeKey(keyType, record.PublicKeyBase64, out var key, out error))
        {
            return new DkimKeyParseResult(null, error);
        }

        return new DkimKeyParseResult(record with { PublicKey = key }, null);
    }

    /// <summary>Decodes p=: SubjectPublicKeyInfo (or a bare PKCS#1 RSAPublicKey) for RSA, 32 raw bytes for Ed25519.</summary>
    public static bool TryDecodeKey(DkimKeyType type, string base64, out DkimPublicKey? key, out string? error)
    {
        key = null;
        error = null;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            error = "p= is not valid base64";
            return false;
        }

        if (type == DkimKeyType.Ed25519)
        {
            if (bytes.Length != Ed25519PublicKeyParameters.KeySize)
            {
                error = $"an Ed25519 key must be {Ed25519PublicKeyParameters.KeySize} bytes, p= has {bytes.Length}";
                return false;
            }

            key = DkimPublicKey.Ed25519(bytes);
            return true;
        }

        try
        {
            var asn1 = Asn1Object.FromByteArray(bytes);
            RsaPublicKeyStructure rsa;
            if (asn1 is Asn1Sequence { Count: 2 } seq && seq[0] is AlgorithmIdentifier or Asn1Sequence)
            {
                var info = SubjectPublicKeyInfo.GetInstance(asn1);
                if (!info.Algorithm.Algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption))
                {
                    error = "p= holds a public key that is not RSA (k=rsa)";
                    return false;
                }

                rsa = RsaPublicKeyStructure.GetInstance(info.ParsePublicKey());
            }
            else
            {
                rsa = RsaPublicKeyStructure.GetInstance(asn1);
            }

            if (rsa.Modulus.SignValue <= 0 || !rsa.Modulus.TestBit(0) || rsa.PublicExponent.SignValue <= 0)
            {
                error = "p= does not hold a valid RSA public key";
                return false;
            }

            key = DkimPublicKey.Rsa(rsa.Modulus, rsa.PublicExponent);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or IOException or InvalidOperationException or Asn1Exception or NullReferenceException)
        {
            error = "p= does not hold a valid RSA public key";
            return false;
        }
    }

    private static string[] List(string? value) =>
        value is null ? [] : value.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
