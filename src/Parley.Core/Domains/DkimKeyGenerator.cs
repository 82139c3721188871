using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace Parley.Core.Domains;

/// <summary>Generates DKIM key pairs: RSA-2048 (what every verifier supports) and Ed25519 (RFC 8463).</summary>
public static class DkimKeyGenerator
{
    public sealed record KeyPair(byte[] PrivateKeyPkcs8, string PublicKeyBase64);

    public static KeyPair Generate(DkimAlgorithm algorithm) => algorithm switch
    {
        DkimAlgorithm.RsaSha256 => GenerateRsa(),
        _ => GenerateEd25519(),
    };

    private static KeyPair GenerateRsa()
    {
        using var rsa = RSA.Create(2048);
        return new KeyPair(rsa.ExportPkcs8PrivateKey(), Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
    }

    private static KeyPair GenerateEd25519()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var privateKey = PrivateKeyInfoFactory.CreatePrivateKeyInfo(pair.Private).GetEncoded();
        var publicKey = ((Ed25519PublicKeyParameters)pair.Public).GetEncoded();
        return new KeyPair(privateKey, Convert.ToBase64String(publicKey));
    }
}
