using Parley.Core.Inbound;

namespace Parley.Pages.Inbound;

/// <summary>The inbound rules in plain words, shared by the Inbound page's summary and the Rules page.</summary>
public static class InboundRulesText
{
    /// <summary>The choice, as offered in the form.</summary>
    public static string CatchallChoice(CatchallPolicy policy) => policy switch
    {
        CatchallPolicy.ContactThread => "Start a contact thread for the sender",
        CatchallPolicy.Reject => "Refuse it during the SMTP conversation (550)",
        _ => "Keep it in Inbound mail for you to assign",
    };

    /// <summary>What the choice does, in a sentence or two.</summary>
    public static string CatchallExplained(CatchallPolicy policy) => policy switch
    {
        CatchallPolicy.ContactThread => "The message goes to the sender's contact thread; a new sender becomes a contact. Nothing waits for you, but unwanted mail can add contacts too.",
        CatchallPolicy.Reject => "The sending server is told at once that the address does not exist (550 5.1.1), so the sender gets a bounce and nothing is stored. Aliases, replies and bounces are still accepted.",
        _ => "Nothing is lost: the message waits, raw, under Inbound mail until you assign it to a contact.",
    };

    /// <summary>Completes "Mail to an unknown address on your alias domain …".</summary>
    public static string CatchallDoes(CatchallPolicy policy) => policy switch
    {
        CatchallPolicy.ContactThread => "starts a contact thread for the sender",
        CatchallPolicy.Reject => "is refused during the SMTP conversation (550)",
        _ => "is kept in Inbound mail for you to assign",
    };

    public static string Loop(InboundSettings rules) => rules.LoopLimit > 0
        ? $"loop protection stops posting after {Count(rules.LoopLimit, "message")} from one sender within {Count(rules.LoopWindowMinutes, "minute")}; later ones are kept in Inbound mail"
        : "loop protection is off";

    public static string Bounces(InboundSettings rules) => $"an address is suppressed after {Count(rules.HardBounceThreshold, "hard bounce")}";

    /// <summary>"Saved. From now on, …" naming only what changed.</summary>
    public static string Changes(InboundSettings before, InboundSettings after)
    {
        var changes = new List<string>();
        if (before.Catchall != after.Catchall) changes.Add($"mail to an unknown address on your alias domain {CatchallDoes(after.Catchall)}");
        if (before.LoopLimit != after.LoopLimit || (after.LoopLimit > 0 && before.LoopWindowMinutes != after.LoopWindowMinutes)) changes.Add(Loop(after));
        if (before.HardBounceThreshold != after.HardBounceThreshold) changes.Add(Bounces(after));
        return changes.Count == 0
            ? "Saved. Nothing changed: the rules were already set this way."
            : $"Saved. From now on, {string.Join("; ", changes)}.";
    }

    /// <summary>A clause as a sentence of its own.</summary>
    public static string Sentence(string clause) => $"{char.ToUpperInvariant(clause[0])}{clause[1..]}.";

    public static string Count(int n, string noun) => $"{n:N0} {noun}{(n == 1 ? "" : "s")}";
}
