using System.Globalization;
using Parley.Core.Common;

namespace Parley.Core.Outbox;

/// <summary>
/// The VERP envelope sender, <c>bounce+1234-9f2c1a7b0c3d@alias-domain</c>: each outbox row (one
/// recipient of one email) has its own, so a bounce identifies exactly what bounced even when
/// the DSN is unparsable.
/// </summary>
public sealed class BounceAddress(TokenSigner signer)
{
    public const string LocalPrefix = "bounce+";

    public string For(long outboxItemId, string aliasDomain) =>
        $"{LocalPrefix}{outboxItemId.ToString(CultureInfo.InvariantCulture)}-{signer.Tag("bounce:" + outboxItemId)}@{aliasDomain}";

    /// <summary>The outbox row a bounce address names, or null when it is not one of ours.</summary>
    public long? Parse(string address)
    {
        var parts = TokenSigner.FieldsOf(address, LocalPrefix);
        if (parts is null || parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        return signer.Verify("bounce:" + id, parts[1]) ? id : null;
    }
}
