using System.Net;
using System.Text.RegularExpressions;

namespace Parley.Core.SpamTest;

/// <summary>
/// Content: a compact rule set of our own in the spirit of SpamAssassin's most frequent hits (docs/spam-score.md lists
/// each with its points). Every rule reads the bounded text and <see cref="HtmlFacts"/>; regular expressions have a
/// match timeout, so no input makes them run long.
/// </summary>
public static partial class ContentChecks
{
    /// <summary>The Generic Test for Unsolicited Bulk Email: a message carrying it must score as spam.</summary>
    public const string Gtube = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    public static readonly IReadOnlyList<string> Shorteners =
    [
        "bit.ly", "tinyurl.com", "goo.gl", "t.co", "ow.ly", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "s.id", "v.gd",
    ];

    public static readonly IReadOnlyList<string> MoneyPhrases =
    [
        "100% free", "make money", "earn money", "earn extra cash", "cash bonus", "$$$", "risk-free", "risk free", "no credit check", "you have won",
        "you've won", "you are a winner", "million dollars", "wire transfer", "double your income", "lowest price", "best price guaranteed",
        "free gift", "claim your prize", "investment opportunity", "bitcoin", "crypto profit", "no fees", "pure profit",
    ];

    public static readonly IReadOnlyList<string> UrgencyPhrases =
    [
        "act now", "urgent", "limited time", "expires today", "immediately", "don't delete", "do not delete", "final notice", "last chance",
        "verify your account", "account suspended", "respond now", "order now", "apply now", "only today", "hurry",
    ];

    public static SpamSection Section(MessageUnderTest message, HtmlFacts html)
    {
        var subject = message.Message.Subject ?? "";
        var body = message.Text + "\n" + html.VisibleText;
        var everything = subject + "\n" + body;
        var links = html.Links.Where(l => l.Uri is not null).ToList();
        var checks = new List<SpamCheck>
        {
            everything.Contains(Gtube, StringComparison.Ordinal) || (message.Html?.Contains(Gtube, StringComparison.Ordinal) ?? false)
                ? new SpamCheck("content.gtube", "GTUBE test string", CheckResult.Fail, 10, "The message carries the GTUBE test string: every spam filter treats it as spam.", new CheckFix("Remove the GTUBE line; it exists only to test filters."))
                : SpamCheck.Pass("content.gtube", "GTUBE test string", 10, "Not present."),
            SubjectCaps(subject),
            SubjectPunctuation(subject),
            Phrases("content.money", "Money phrases", 1, MoneyPhrases, everything),
            Phrases("content.urgency", "Urgency phrases", 0.5, UrgencyPhrases, everything),
        };
        checks.AddRange(Images(message, html));
        checks.Add(html.HiddenText.Count > 0
            ? new SpamCheck("content.hidden-text", "Hidden text", CheckResult.Fail, 1, $"Text a reader cannot see (tiny font, hidden, or the colour of the background): \"{string.Join("\", \"", html.HiddenText.Take(3))}\".",
                new CheckFix("Remove the hidden text; filters read it as an attempt to fool them."))
            : SpamCheck.Pass("content.hidden-text", "Hidden text", 1, "No hidden text."));
        checks.Add(html.ActiveContent.Count > 0
            ? new SpamCheck("content.active", "Forms and scripts", CheckResult.Fail, 1, $"The HTML has {string.Join(", ", html.ActiveContent.Distinct().Take(5))}: mail clients strip them and filters distrust them.",
                new CheckFix("Link to a form on your website instead of embedding forms, scripts or frames."))
            : SpamCheck.Pass("content.active", "Forms and scripts", 1, "No forms, scripts, frames or event handlers."));
        checks.Add(Shortened(links));
        checks.Add(Mismatched(links));
        checks.Add(IpLinks(links));
        return new SpamSection("content", "Content", checks);
    }

    private static SpamCheck SubjectCaps(string subject)
    {
        var letters = subject.Where(char.IsLetter).ToList();
        var upper = letters.Count(char.IsUpper);
        return letters.Count >= 8 && upper >= 0.7 * letters.Count
            ? new SpamCheck("content.subject-caps", "Subject in capitals", CheckResult.Fail, 1, $"\"{Short(subject)}\" is {100 * upper / letters.Count}% capital letters.", new CheckFix("Write the subject in sentence case."))
            : SpamCheck.Pass("content.subject-caps", "Subject in capitals", 1, subject.Length == 0 ? "No subject." : "The subject is not shouted.");
    }

    private static SpamCheck SubjectPunctuation(string subject) =>
        RepeatedPunctuation().IsMatch(subject)
            ? new SpamCheck("content.subject-punctuation", "Subject with !!! or ???", CheckResult.Fail, 0.5, $"\"{Short(subject)}\" repeats exclamation or question marks.", new CheckFix("Use one punctuation mark, or none."))
            : SpamCheck.Pass("content.subject-punctuation", "Subject with !!! or ???", 0.5, "No repeated exclamation or question marks.");

    private static SpamCheck Phrases(string id, string title, double points, IReadOnlyList<string> phrases, string text)
    {
        var found = phrases.Where(p => text.Contains(p, StringComparison.OrdinalIgnoreCase)).Take(5).ToList();
        return found.Count switch
        {
            0 => SpamCheck.Pass(id, title, points, "None found."),
            1 => new SpamCheck(id, title, CheckResult.Warn, points, $"Found \"{found[0]}\".", new CheckFix("Say it plainly; phrases like this are what filters count.")),
            _ => new SpamCheck(id, title, CheckResult.Fail, points, $"Found \"{string.Join("\", \"", found)}\".", new CheckFix("Say it plainly; phrases like these are what filters count.")),
        };
    }

    private static IEnumerable<SpamCheck> Images(MessageUnderTest message, HtmlFacts html)
    {
        static bool IsPixel(MessageImage i) => i.Width is <= 2 && i.Height is <= 2;
        var real = html.Images.Where(i => !IsPixel(i)).ToList();
        var textLength = html.VisibleText.Length;
        if (message.Html is null)
        {
            yield return SpamCheck.Info("content.image-ratio", "Images and text", "No HTML part.");
        }
        else if (real.Count > 0 && textLength < 200 * real.Count)
        {
            yield return new SpamCheck("content.image-ratio", "Images and text", CheckResult.Fail, 1,
                $"{real.Count} image{(real.Count == 1 ? "" : "s")} and {textLength} characters of text: mostly image, which is how spam hides its words.",
                new CheckFix("Put the message in text; use images to illustrate it (about 200 characters of text per image or more)."));
        }
        else
        {
            yield return SpamCheck.Pass("content.image-ratio", "Images and text", 1, $"{real.Count} image{(real.Count == 1 ? "" : "s")}, {textLength} characters of text.");
        }

        var noAlt = real.Count(i => string.IsNullOrWhiteSpace(i.Alt));
        yield return noAlt > 0
            ? new SpamCheck("content.image-alt", "Images without alt text", CheckResult.Fail, 0.3, $"{noAlt} of {real.Count} images have no alt text.", new CheckFix("Give every image an alt attribute that says what it shows."))
            : SpamCheck.Pass("content.image-alt", "Images without alt text", 0.3, real.Count == 0 ? "No images." : "Every image has alt text.");

        var pixels = html.Images.Count(IsPixel);
        var words = (message.Text + " " + html.VisibleText).Trim();
        yield return message.Html is not null && pixels > 0 && real.Count == 0 && words.Length < 20
            ? new SpamCheck("content.pixel-only", "Only a tracking pixel", CheckResult.Fail, 1.5, "The body is a tracking pixel and no text.", new CheckFix("Write the message; a body with nothing but a tracking image looks like a probe."))
            : SpamCheck.Pass("content.pixel-only", "Only a tracking pixel", 1.5, "The body has content.");
    }

    private static SpamCheck Shortened(IReadOnlyList<MessageLink> links)
    {
        var shortened = links.Select(l => l.Uri!.IdnHost.ToLowerInvariant()).Select(h => h.StartsWith("www.", StringComparison.Ordinal) ? h[4..] : h).Where(h => Shorteners.Contains(h)).Distinct().ToList();
        return shortened.Count > 0
            ? new SpamCheck("content.shortener", "URL shorteners", CheckResult.Fail, 1, $"Links through {string.Join(", ", shortened)}: shorteners hide where a link goes, so spam uses them.",
                new CheckFix("Link to your own domain directly."))
            : SpamCheck.Pass("content.shortener", "URL shorteners", 1, "No shortened links.");
    }

    /// <summary>A link whose text shows a domain other than the one its href goes to (the phishing pattern).</summary>
    private static SpamCheck Mismatched(IReadOnlyList<MessageLink> links)
    {
        var mismatched = new List<string>();
        foreach (var link in links)
        {
            if (link.Text is not { Length: > 3 } text || DomainInText().Match(text) is not { Success: true } shown)
            {
                continue;
            }

            var shownHost = shown.Groups[1].Value.ToLowerInvariant().TrimEnd('.');
            var target = link.Uri!.IdnHost.ToLowerInvariant();
            if (!SameSite(shownHost, target))
            {
                mismatched.Add($"\"{Short(text)}\" → {target}");
            }
        }

        return mismatched.Count > 0
            ? new SpamCheck("content.link-mismatch", "Link text showing another domain", CheckResult.Fail, 1.5, string.Join("; ", mismatched.Take(3)) + ".",
                new CheckFix("Let a link's text name the domain it really goes to, or use words instead of an address."))
            : SpamCheck.Pass("content.link-mismatch", "Link text showing another domain", 1.5, "Every link that shows an address goes there.");
    }

    private static bool SameSite(string a, string b) =>
        a == b || a.EndsWith("." + b, StringComparison.Ordinal) || b.EndsWith("." + a, StringComparison.Ordinal) || a.StartsWith("www.", StringComparison.Ordinal) && SameSite(a[4..], b);

    private static SpamCheck IpLinks(IReadOnlyList<MessageLink> links)
    {
        var ips = links.Select(l => l.Uri!).Where(u => u.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || IPAddress.TryParse(u.Host, out _)).Select(u => u.Host).Distinct().ToList();
        return ips.Count > 0
            ? new SpamCheck("content.ip-links", "Links to bare IP addresses", CheckResult.Fail, 1, $"Links to {string.Join(", ", ips.Take(3))}: legitimate senders link to names.", new CheckFix("Link to a host name on your own domain."))
            : SpamCheck.Pass("content.ip-links", "Links to bare IP addresses", 1, "No links to IP addresses.");
    }

    private static string Short(string text) => text.Length > 80 ? text[..80] + "…" : text;

    [GeneratedRegex(@"[!?]{3,}|(![^!]*){4,}", RegexOptions.None, 1000)]
    private static partial Regex RepeatedPunctuation();

    [GeneratedRegex(@"^(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[/:?#].*)?$", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex DomainInText();
}
