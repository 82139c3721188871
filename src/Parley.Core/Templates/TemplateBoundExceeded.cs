using System.Text.RegularExpressions;

namespace Parley.Core.Templates;

/// <summary>A render went past one of the <see cref="TemplateLimits"/>; the message says which, in words for the admin.</summary>
internal sealed partial class TemplateBoundExceeded(string field, string message) : Exception(message)
{
    /// <summary>subject or body.</summary>
    public string Field { get; } = field;

    /// <summary>
    /// Fluid reports its limits as plain InvalidOperationExceptions; their wording is the only way to tell them apart
    /// (TemplateLimitTests pins it, so an upgrade that changes it fails there, not silently).
    /// </summary>
    public static TemplateBoundExceeded? FromFluid(Exception e, string field, string source, TemplateLimits limits, int maxOutput)
    {
        if (e is not InvalidOperationException || !e.Message.StartsWith("The maximum ", StringComparison.Ordinal))
        {
            return null;
        }

        var loop = LoopLine(source);
        if (e.Message.Contains("steps", StringComparison.Ordinal))
        {
            return new(field, $"The {field} runs too long: more than {limits.MaxSteps:N0} steps{loop}. Loop over fewer items.");
        }

        if (e.Message.Contains("collection size", StringComparison.Ordinal))
        {
            return new(field, $"The {field} makes a list of more than {limits.MaxListItems:N0} items{loop}. Loop over fewer items.");
        }

        if (e.Message.Contains("output size", StringComparison.Ordinal))
        {
            return new(field, $"The {field} makes text longer than {maxOutput:N0} characters{loop}. The subject and body of an email may have {limits.MaxOutputLength:N0} characters together.");
        }

        if (e.Message.Contains("recursion", StringComparison.Ordinal))
        {
            return new(field, $"The {field} nests loops or blocks more than {limits.MaxNesting} deep{loop}.");
        }

        return null;
    }

    public static TemplateBoundExceeded Timeout(string field, string source, TemplateLimits limits) =>
        new(field, $"The {field} took longer than {limits.RenderTimeout.TotalSeconds:0.#} seconds to render{LoopLine(source)}, so Parley stopped it. Loop over fewer items or do less in each turn.");

    public static TemplateBoundExceeded Variables(string field, TemplateLimits limits) =>
        new(field, $"The {field} keeps more than {limits.MaxVariablesLength:N0} characters in variables at once. Assign fewer or shorter values.");

    /// <summary>
    /// Fluid does not say where it stopped. Limits are almost always reached in a loop, so when the source has exactly
    /// one loop its line is named; with several, guessing would send the admin to the wrong one.
    /// </summary>
    private static string LoopLine(string source)
    {
        var lines = source.Split('\n');
        var loops = Enumerable.Range(0, lines.Length).Where(i => LoopTag().IsMatch(lines[i])).Take(2).ToList();
        return loops.Count == 1 ? $" (line {loops[0] + 1})" : "";
    }

    [GeneratedRegex(@"\{%-?\s*(for|tablerow)\s")]
    private static partial Regex LoopTag();
}
