using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;

namespace Parley.Deliverability.Dkim;

/// <summary>Turns Parley's signing keys into the p= value and the TXT record to publish, and compares keys.</summary>
public static class DkimKeys
{
    /// <summary>p= for a key pair's private or public half: SubjectPublicKeyInfo for RSA, 32 raw bytes for Ed25519.</summary>
    public static string PublicKeyBase64(AsymmetricKeyParameter key) => key switch
    {
        RsaPrivateCrtKeyParameters rsa => Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent)).GetDerEncoded()),
        RsaKeyParameters { IsPrivate: false } rsa => Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(rsa).GetDerEncoded()),
        Ed25519PrivateKeyParameters ed => Convert.ToBase64String(ed.GeneratePublicKey().GetEncoded()),
        Ed25519PublicKeyParameters ed => Convert.ToBase64String(ed.GetEncoded()),
        _ => throw new ArgumentException($"{key.GetType().Name} is not an RSA or Ed25519 key", nameof(key)),
    };

    /// <summary>The key type of a p= value: 32 bytes is Ed25519, anything else is taken as RSA.</summary>
    public static DkimKeyType InferType(string publicKeyBase64)
    {
        try
        {
            return Convert.FromBase64String(DkimTagList.StripWhitespace(publicKeyBase64)).Length == Ed25519PublicKeyParameters.KeySize ? DkimKeyType.Ed25519 : DkimKeyType.Rsa;
        }
        catch (FormatException)
        {
            return DkimKeyType.Rsa;
        }
    }

    /// <summary>The record to publish at &lt;selector&gt;._domainkey.&lt;domain&gt;.</summary>
    public static string Record(string publicKeyBase64) =>
        $"v=DKIM1; k={(InferType(publicKeyBase64) == DkimKeyType.Ed25519 ? "ed25519" : "rsa")}; p={DkimTagList.StripWhitespace(publicKeyBase64)}";

}
