using Org.BouncyCastle.Crypto;

namespace Parley.Deliverability.Dkim;

public enum DkimKeyType
{
    Rsa,
    Ed25519,
}

/// <summary>
/// A DKIM public key record (RFC 6376 3.6.1, RFC 8463) as published at &lt;selector&gt;._domainkey.&lt;domain&gt;.
/// <see cref="Key"/> is null when the key is revoked (empty p=).
/// </summary>
public sealed record DkimKeyRecord
{
    public required string Text { get; init; }

    public DkimKeyType KeyType { get; init; }

    /// <summary>The p= value without whitespace; empty means revoked.</summary>
    public string PublicKeyBase64 { get; init; } = string.Empty;

    /// <summary>The decoded key; null when revoked.</summary>
    public DkimPublicKey? PublicKey { get; init; }

    /// <summary>The key for verification (built on first use; see <see cref="DkimPublicKey"/>).</summary>
    public AsymmetricKeyParameter? Key => PublicKey?.Parameter;

    /// <summary>RSA modulus length, or 256 for Ed25519; 0 when revoked.</summary>
    public int KeyBits => PublicKey?.Bits ?? 0;

    public bool Revoked => PublicKeyBase64.Length == 0;

    /// <summary>t=y: the domain is testing DKIM; verifiers must not treat failures differently from unsigned mail.</summary>
    public bool Testing { get; init; }

    /// <summary>t=s: the i= domain must equal d= exactly.</summary>
    public bool StrictIdentity { get; init; }

    /// <summary>h=: acceptable hash algorithms; empty means all.</summary>
    public IReadOnlyList<string> HashAlgorithms { get; init; } = [];

    /// <summary>s=: service types; "*" (default) or "email" allow use for mail.</summary>
    public IReadOnlyList<string> ServiceTypes { get; init; } = ["*"];

    public bool AllowsEmail => ServiceTypes.Any(s => s is "*" or "email");

    public bool AllowsHash(string hash) => HashAlgorithms.Count == 0 || HashAlgorithms.Contains(hash, StringComparer.OrdinalIgnoreCase);
}

/// <summary>Either a parsed record, or why the text is not a usable key record.</summary>
public sealed record DkimKeyParseResult(DkimKeyRecord? Record, string? Error)
{
    public bool IsValid => Record is not null;
}
