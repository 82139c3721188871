using System.Security.Cryptography;
using System.Text;

namespace Parley.Core.Common;

/// <summary>
/// Short HMAC tags for tokens that travel in email addresses (reply and bounce addresses), so a
/// stranger cannot forge one by guessing ids. 12 hex characters: short enough for a local part,
/// long enough that guessing is hopeless (2^48).
/// </summary>
public sealed class TokenSigner(byte[] key)
{
    public string Tag(string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload)))[..12];

    public bool Verify(string payload, string tag) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Tag(payload)), Encoding.ASCII.GetBytes(tag.ToLowerInvariant()));
}
