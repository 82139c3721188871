using System.Security.Cryptography;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace Parley.Core.Domains;

/// <summary>
/// MimeKit's DKIM signer (its canonicalization and header handling, unchanged) with the RSA
/// signature itself done by .NET's native RSA (OpenSSL) instead of BouncyCastle's managed code:
/// about 4 ms → 1 ms per signature, which decides outbound throughput. See bench/dkim.sh.
/// </summary>
internal sealed class NativeRsaDkimSigner : DkimSigner
{
    private readonly RSA _rsa;

    public NativeRsaDkimSigner(byte[] pkcs8, string domain, string selector)
        : base(PrivateKeyFactory.CreateKey(pkcs8), domain, selector, DkimSignatureAlgorithm.RsaSha256)
    {
        _rsa = RSA.Create();
        _rsa.ImportPkcs8PrivateKey(pkcs8, out _);
    }

    protected override ISigner CreateSigningContext() => new Sha256RsaSigner(_rsa);

    /// <summary>BouncyCastle's signer interface over an incremental SHA-256 and a native RSA key.</summary>
    private sealed class Sha256RsaSigner(RSA rsa) : ISigner
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string AlgorithmName => "SHA-256withRSA";

        public void Init(bool forSigning, ICipherParameters parameters)
        {
            // The key is the native one given to the constructor.
        }

        public void Update(byte input) => _hash.AppendData([input]);

        public void BlockUpdate(byte[] input, int inOff, int inLen) => _hash.AppendData(input, inOff, inLen);

        public void BlockUpdate(ReadOnlySpan<byte> input) => _hash.AppendData(input);

        public int GetMaxSignatureSize() => rsa.KeySize / 8;

        public byte[] GenerateSignature() => rsa.SignHash(_hash.GetHashAndReset(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        public bool VerifySignature(byte[] signature) =>
            rsa.VerifyHash(_hash.GetHashAndReset(), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        public void Reset() => _hash.GetHashAndReset();
    }
}
