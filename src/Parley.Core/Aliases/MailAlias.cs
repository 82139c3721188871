namespace Parley.Core.Aliases;

/// <summary>Who may start a conversation through an alias.</summary>
public enum AliasContactPolicy { Everyone, KnownContacts, Followers }

/// <summary><c>local@alias-domain</c>: mail to it creates (or continues) a record of its type for the sender.</summary>
public sealed class MailAlias
{
    public long Id { get; set; }
    /// <summary>The part before the @, lower case; unique.</summary>
    public required string LocalPart { get; set; }
    public string RecordType { get; set; } = Records.RecordDirectory.ContactType;
    public AliasContactPolicy ContactPolicy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
