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

    /// <summary>
    /// The dash-separated fields of a signed address's local part after <paramref name="localPrefix"/>
    /// (<c>reply+contact-42-tag@…</c> gives contact, 42, tag); null when the address does not start with the prefix.
    /// </summary>
    public static string[]? FieldsOf(string address, string localPrefix)
    {
        var at = address.LastIndexOf('@');
        if (at < 0)
        {
            return null;
        }

        var local = address[..at];
        return local.StartsWith(localPrefix, StringComparison.OrdinalIgnoreCase) ? local[localPrefix.Length..].Split('-') : null;
    }
}
