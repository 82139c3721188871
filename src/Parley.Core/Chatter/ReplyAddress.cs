using Parley.Core.Common;
using Parley.Core.Records;

namespace Parley.Core.Chatter;

/// <summary>
/// The per-thread reply address, <c>reply+contact-42-9f2c1a7b0c3d@alias-domain</c>. It routes a reply
/// to its record even when a provider rewrote the Message-ID; the tag keeps strangers from posting
/// into arbitrary records by guessing ids.
/// </summary>
public sealed class ReplyAddress(TokenSigner signer)
{
    public const string LocalPrefix = "reply+";

    public ReplyAddress(byte[] key) : this(new TokenSigner(key))
    {
    }

    public string For(RecordRef record, string aliasDomain) => $"{LocalPrefix}{Token(record)}@{aliasDomain}";

    public string Token(RecordRef record) => $"{record.Type}-{record.Id}-{signer.Tag(record.ToString())}";

    /// <summary>Returns the record an address points to, or null if it is not a valid reply address.</summary>
    public RecordRef? Parse(string address)
    {
        var parts = TokenSigner.FieldsOf(address, LocalPrefix);
        if (parts is null || parts.Length != 3 || !long.TryParse(parts[1], out var id))
        {
            return null;
        }

        var record = new RecordRef(parts[0].ToLowerInvariant(), id);
        return signer.Verify(record.ToString(), parts[2]) ? record : null;
    }
}
