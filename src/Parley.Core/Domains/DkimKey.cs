using System.Text.Json.Serialization;

namespace Parley.Core.Domains;

/// <summary>The algorithms by the a= names they carry in a signature (and in the API).</summary>
public enum DkimAlgorithm { [JsonStringEnumMemberName("rsa-sha256")] RsaSha256, [JsonStringEnumMemberName("ed25519-sha256")] Ed25519Sha256 }

/// <summary>
/// One DKIM key pair of a sending domain. The private key (PKCS#8) is stored encrypted; the public
/// key is what the TXT record publishes. A rotated key is retired, not deleted, so its record can
/// stay published while mail signed with it is still in flight.
/// </summary>
public sealed class DkimKey
{
    public long Id { get; set; }
    public long SendingDomainId { get; set; }
    public required string Selector { get; set; }
    public DkimAlgorithm Algorithm { get; set; }
    public required string ProtectedPrivateKey { get; set; }
    /// <summary>Base64 for the record's p= tag (SubjectPublicKeyInfo for RSA, the raw 32 bytes for Ed25519).</summary>
    public required string PublicKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }

    public bool IsActive => RetiredAt is null;

    /// <summary>The TXT record value to publish at <c>selector._domainkey.domain</c>.</summary>
    public string RecordValue => $"v=DKIM1; k={(Algorithm == DkimAlgorithm.RsaSha256 ? "rsa" : "ed25519")}; p={PublicKey}";
}
