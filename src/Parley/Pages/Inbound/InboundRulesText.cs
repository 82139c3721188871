using Parley.Core.Common;
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
        ? $"loop protection stops posting after {Quantity.Of(rules.LoopLimit, "message")} from one sender within {Quantity.Of(rules.LoopWindowMinutes, "minute")}; later ones are kept in Inbound mail"
        : "loop protection is off";

    /// <summary>The sender-verification choice, as offered in the form.</summary>
    public static string SenderChoice(SenderVerification mode) => mode switch
    {
        SenderVerification.RequireDmarcPass => "Trust only senders that pass DMARC",
        SenderVerification.Off => "Trust the From line as it is (not recommended)",
        _ => "Trust a sender unless its domain's DMARC says otherwise (recommended)",
    };

    public static string SenderExplained(SenderVerification mode) => mode switch
    {
        SenderVerification.RequireDmarcPass => "Mail from a domain without DMARC is kept in Inbound mail too. Safest, but most small domains publish no DMARC.",
        SenderVerification.Off => "Anyone can write a customer's address on the From line: their mail would land in that customer's thread.",
        _ => "A message that fails its domain's DMARC check (a forged From) never lands in a contact's thread: it is kept in Inbound mail, marked as suspected spoofing. Replies to Parley's own emails still thread, with a warning.",
    };

    public static string Sender(InboundSettings rules) => rules.SenderVerification switch
    {
        SenderVerification.RequireDmarcPass => "only mail that passes DMARC reaches a contact's thread by its From address",
        SenderVerification.Off => "the From line is trusted as it is, even when DMARC fails",
        _ => "mail whose From fails its domain's DMARC is kept in Inbound mail as suspected spoofing",
    };

    public static string Bounces(InboundSettings rules) => $"an address is suppressed after {Quantity.Of(rules.HardBounceThreshold, "hard bounce")}";

    /// <summary>"Saved. From now on, …" naming only what changed.</summary>
    public static string Changes(InboundSettings before, InboundSettings after)
    {
        var changes = new List<string>();
        if (before.Catchall != after.Catchall)
        {
            changes.Add($"mail to an unknown address on your alias domain {CatchallDoes(after.Catchall)}");
        }

        if (before.LoopLimit != after.LoopLimit || (after.LoopLimit > 0 && before.LoopWindowMinutes != after.LoopWindowMinutes))
        {
            changes.Add(Loop(after));
        }

        if (before.HardBounceThreshold != after.HardBounceThreshold)
        {
            changes.Add(Bounces(after));
        }

        if (before.SenderVerification != after.SenderVerification)
        {
            changes.Add(Sender(after));
        }

        return changes.Count == 0
            ? "Saved. Nothing changed: the rules were already set this way."
            : $"Saved. From now on, {string.Join("; ", changes)}.";
    }

    /// <summary>A clause as a sentence of its own.</summary>
    public static string Sentence(string clause) => $"{char.ToUpperInvariant(clause[0])}{clause[1..]}.";

}
