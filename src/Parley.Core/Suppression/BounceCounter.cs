namespace Parley.Core.Suppression;

/// <summary>How often mail to one address bounced; hard bounces past the threshold suppress it.</summary>
public sealed class BounceCounter
{
    /// <summary>Lower case; the key.</summary>
    public required string Address { get; set; }
    public int HardBounces { get; set; }
    public int SoftBounces { get; set; }
    public string? LastStatus { get; set; }
    public string? LastDiagnostic { get; set; }
    public DateTimeOffset LastBounceAt { get; set; }
}
