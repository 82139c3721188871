using System.ComponentModel.DataAnnotations;

namespace Parley.Core.Templates;

/// <summary>
/// How much work one render of a template may do. A template is written by an admin but runs on the server for
/// every recipient, so a loop or a string that doubles must end as a template error, not as gigabytes of memory.
/// Set from configuration, e.g. the environment variable <c>Templates__MaxSteps=200000</c>.
/// </summary>
public sealed class TemplateLimits
{
    public const string Section = "Templates";

    /// <summary>Statements and loop turns per field (subject, body).</summary>
    [Range(1, int.MaxValue)]
    public int MaxSteps { get; set; } = 100_000;

    /// <summary>Characters of the subject and body together; also the most any one value may have on the way.</summary>
    [Range(1, int.MaxValue)]
    public int MaxOutputLength { get; set; } = 1_000_000;

    /// <summary>Characters kept in variables (assign, capture) at once, which no single value's bound covers.</summary>
    [Range(1, int.MaxValue)]
    public int MaxVariablesLength { get; set; } = 4_000_000;

    /// <summary>Items in any list a template makes: a range such as (1..n), a split, a concat.</summary>
    [Range(1, int.MaxValue)]
    public int MaxListItems { get; set; } = 10_000;

    /// <summary>How deep loops and blocks may nest.</summary>
    [Range(1, int.MaxValue)]
    public int MaxNesting { get; set; } = 20;

    /// <summary>Wall-clock time for the subject and body together.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RenderTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
