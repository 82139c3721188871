using System.Diagnostics.CodeAnalysis;

namespace Parley.Core.Common;

/// <summary>Text cut to the length of the column it is stored in.</summary>
public static class TextLimit
{
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
