using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace Parley.Deliverability.Dkim;

/// <summary>
/// A decoded p= value. BouncyCastle's RsaKeyParameters runs primality checks on the modulus (tens of
/// milliseconds for 2048 bits), so the parameter object is only built when a signature is verified;
/// the doctor compares and sizes keys from the numbers.
/// </summary>
public sealed class DkimPublicKey
{
    private readonly BigInteger? _modulus;
    private readonly BigInteger? _exponent;
    private readonly byte[]? _ed25519;
    private AsymmetricKeyParameter? _parameter;

    private DkimPublicKey(DkimKeyType type, int bits, BigInteger? modulus, BigInteger? exponent, byte[]? ed25519)
    {
        Type = type;
        Bits = bits;
        _modulus = modulus;
        _exponent = exponent;
        _ed25519 = ed25519;
    }

    public DkimKeyType Type { get; }

    /// <summary>RSA modulus length, or 256 for Ed25519.</summary>
    public int Bits { get; }

    /// <summary>The BouncyCastle key for verification; throws <see cref="ArgumentException"/> for an RSA modulus BouncyCastle rejects.</summary>
    public AsymmetricKeyParameter Parameter => _parameter ??= Type == DkimKeyType.Ed25519
        ? new Ed25519PublicKeyParameters(_ed25519!, 0)
        : new RsaKeyParameters(false, _modulus!, _exponent!);

    public static DkimPublicKey Rsa(BigInteger modulus, BigInteger exponent) => new(DkimKeyType.Rsa, modulus.BitLength, modulus, exponent, null);

    public static DkimPublicKey Ed25519(byte[] key) => new(DkimKeyType.Ed25519, 256, null, null, key);

    public bool SameKey(DkimPublicKey? other) => other is not null && Type == other.Type && (Type == DkimKeyType.Ed25519
        ? _ed25519.AsSpan().SequenceEqual(other._ed25519)
        : _modulus!.Equals(other._modulus) && _exponent!.Equals(other._exponent));
}
