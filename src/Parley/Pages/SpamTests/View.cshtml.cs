using Microsoft.AspNetCore.Mvc;
using MimeKit;
using Parley.Core.Common;
using Parley.Core.SpamTest;

namespace Parley.Pages.SpamTests;

/// <summary>One test's report: the score in its band, each section's checks with the fix, and the message as received.</summary>
public sealed class ViewModel(SpamTestService tests, HtmlCleaner cleaner) : ParleyPageModel
{
    /// <summary>The raw source shown on the page is cut here (the whole message is a download).</summary>
    public const int MaxRawShown = 200 * 1024;

    public SpamTestView Test { get; private set; } = null!;
    public IReadOnlyList<(string Name, string Value)> Headers { get; private set; } = [];
    public string? Text { get; private set; }
    public CleanedHtml? Html { get; private set; }
    public string? Raw { get; private set; }
    public bool RawCut { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        try
        {
            Test = await tests.GetAsync(token, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        if (Test.Latest is not null)
        {
            var raw = await tests.RawAsync(token, null, cancellationToken);
            var message = MessageUnderTest.Read(raw, cancellationToken);
            Headers = message.Message.Headers.Take(200).Select(h => (h.Field, h.Value.Length > 2000 ? h.Value[..2000] + "…" : h.Value)).ToList();
            Text = message.Text.Length > 0 ? message.Text : null;
            Html = message.Html is { } html ? cleaner.Clean(html, new Dictionary<string, string>(), showRemoteContent: false, cancellationToken) : null;
            RawCut = raw.Length > MaxRawShown;
            Raw = System.Text.Encoding.UTF8.GetString(raw, 0, Math.Min(raw.Length, MaxRawShown));
        }

        return Page();
    }

    /// <summary>The raw message as received, for download (the API's /raw needs a token; the page has the login).</summary>
    public async Task<IActionResult> OnGetRawAsync(string token, long? message, CancellationToken cancellationToken)
    {
        try
        {
            return File(await tests.RawAsync(token, message, cancellationToken), "message/rfc822", $"spam-test-{token}.eml");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
    }
}
