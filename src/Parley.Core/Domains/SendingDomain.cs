namespace Parley.Core.Domains;

/// <summary>A domain Parley sends as (From) and signs for with its own DKIM keys.</summary>
public sealed class SendingDomain
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<DkimKey> Keys { get; set; } = [];
}
