namespace Parley.Core.Settings;

/// <summary>A single named setting that an admin changes at run time (e.g. the alias domain).</summary>
public sealed class Setting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
