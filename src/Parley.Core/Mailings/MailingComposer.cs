using System.Net;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Identity;
using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Core.Templates;

namespace Parley.Core.Mailings;

/// <summary>What every email of one mailing shares: the mailing, its parsed content, the sender and the alias domain's codecs.</summary>
/// <param name="Sender">The user it is sent by, as templates see them (<c>user.name</c>).</param>
/// <param name="From">Who the emails are from: the sender, or the template's From override.</param>
/// <param name="Attachments">The template's default attachments, on every email.</param>
public sealed record MailingRun(Mailing Mailing, MailingContent Content, ActingUser Sender, ActingUser From, string AliasDomain, ReplyAddress Replies,
    UnsubscribeToken Unsubscribe, IReadOnlyList<OutboundAttachment> Attachments);

/// <summary>What composing one recipient's email gave: the email, or why there is none.</summary>
public sealed record ComposedEmail(StagedEmail? Email, string Language, string? Error);

/// <summary>
/// One recipient's email of a mailing: the version in the record's language rendered for it, a visible unsubscribe link,
/// and the bulk headers providers ask for — List-Unsubscribe with the https link and a <c>mailto:</c> address (both signed),
/// List-Unsubscribe-Post for one-click (RFC 8058), List-Id and Precedence: bulk. Pure work: no database.
/// </summary>
public sealed class MailingComposer(TemplateRenderer renderer)
{
    public async Task<ComposedEmail> ComposeAsync(MailingRun run, AudienceMember member, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (template, language) = run.Content.For(member.Language);
        RenderedTemplate rendered;
        try
        {
            rendered = await renderer.RenderAsync(template, member.View, run.Sender, cancellationToken);
        }
        catch (InvalidInputException e)
        {
            return new ComposedEmail(null, language, e.Message);
        }
        var token = run.Unsubscribe.For(run.Mailing.Id, member.View.Ref.Id);
        var link = $"{run.Mailing.PublicBaseUrl.TrimEnd('/')}/unsubscribe/{token}";
        var email = EmailStager.Build(member.View, rendered.Subject, WithUnsubscribeLink(rendered.Body, link), run.From, run.AliasDomain,
            run.Replies.For(member.View.Ref, run.AliasDomain), null,
            [
                new("List-Unsubscribe", $"<{link}>, <mailto:{AliasDomainAddresses.UnsubscribeAddress(token, run.AliasDomain)}?subject=unsubscribe>"),
                new("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                new("List-Id", ListId(run.Mailing, run.AliasDomain)),
                new("Precedence", "bulk"),
            ], now, new EmailParts([], [], run.Attachments));
        email.Delivery.MailingId = run.Mailing.Id;
        email.Delivery.OutgoingServerId = run.Mailing.OutgoingServerId;
        return new ComposedEmail(email, language, null);
    }

    /// <summary>A copy for a user to look at: marked as a test, with no working unsubscribe link (it would unsubscribe the record).</summary>
    public async Task<RenderedTemplate> ComposeTestAsync(MailingRun run, AudienceMember member, CancellationToken cancellationToken)
    {
        var (template, _) = run.Content.For(member.Language);
        var rendered = await renderer.RenderAsync(template, member.View, run.Sender, cancellationToken);
        return new RenderedTemplate($"[Test] {rendered.Subject}",
            WithUnsubscribeLink(rendered.Body, null));
    }

    /// <summary>Renders every version against a record: an unknown name in any of them stops the mailing before anything is sent.</summary>
    public async Task<string?> FindErrorAsync(MailingContent content, AudienceMember member, ActingUser sender, CancellationToken cancellationToken)
    {
        foreach (var (language, template) in content.Versions)
        {
            try
            {
                await renderer.RenderAsync(template, member.View, sender, cancellationToken);
            }
            catch (InvalidInputException e)
            {
                return language == content.DefaultLanguage ? e.Message : $"The \"{language}\" translation: {e.Message}";
            }
        }
        return null;
    }

    /// <summary><c>"Spring offer" &lt;mailing-12.replies.example.com&gt;</c>: one list per mailing, under the alias domain.</summary>
    public static string ListId(Mailing mailing, string aliasDomain)
    {
        var name = mailing.Name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return $"\"{name}\" <mailing-{mailing.Id}.{aliasDomain}>";
    }

    /// <summary>The link at the foot of the body, in the body's own kind (HTML or text); a test copy says where it will be.</summary>
    private static string WithUnsubscribeLink(string body, string? link)
    {
        if (HtmlText.LooksLikeHtml(body))
        {
            var footer = link is null
                ? "<p style=\"font-size:12px;color:#666\">(Test copy: the real emails have an unsubscribe link here.)</p>"
                : $"<p style=\"font-size:12px;color:#666\">Don't want these emails? <a href=\"{WebUtility.HtmlEncode(link)}\">Unsubscribe</a>.</p>";
            var end = body.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
            return end < 0 ? body + footer : body[..end] + footer + body[end..];
        }
        return body.TrimEnd() + (link is null
            ? "\n\n--\n(Test copy: the real emails have an unsubscribe link here.)\n"
            : $"\n\n--\nDon't want these emails? Unsubscribe: {link}\n");
    }
}
