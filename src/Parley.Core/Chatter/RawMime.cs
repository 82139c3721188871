namespace Parley.Core.Chatter;

/// <summary>The exact bytes of an email in or out, kept for audit, re-parsing and download.</summary>
public sealed class RawMime
{
    public long Id { get; set; }
    public required byte[] Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
