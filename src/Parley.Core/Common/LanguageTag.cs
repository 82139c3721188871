using System.Text.RegularExpressions;

namespace Parley.Core.Common;

/// <summary>A language as contacts and template translations name it: a BCP 47 tag of a language and an optional region, in lower case ("fr", "pt-br").</summary>
public static partial class LanguageTag
{
    public static bool IsValid(string tag) => Pattern().IsMatch(tag);

    /// <summary>Trimmed and in lower case; null for blank.</summary>
    public static string? Normalize(string? tag) => string.IsNullOrWhiteSpace(tag) ? null : tag.Trim().ToLowerInvariant();

    [GeneratedRegex("^[a-z]{2,3}(-[a-z0-9]{2,8})?$")]
    private static partial Regex Pattern();
}
