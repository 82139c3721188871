using System.Security.Claims;
using Parley.Auth;
using Parley.Core.Mailings;
using Parley.Core.Settings;

namespace Parley.Api;

/// <param name="ContactIds">The old name of <paramref name="RecordIds"/>, still read.</param>
public sealed record MailingBody(
    string? Name, long? TemplateId, string? RecordType, string? Tag, long[]? RecordIds, long[]? ContactIds, DateTimeOffset? ScheduledAt,
    long? OutgoingServerId, int? PerHour, int? SpreadMinutes, string? Filter = null);

/// <summary>The audience to preview: one of a filter, a tag or record ids (none: every record of the type).</summary>
public sealed record MailingAudienceBody(string? RecordType, string? Filter, string? Tag, long[]? RecordIds);

public sealed record MailingTestBody(string? To, long? RecordId);

/// <param name="Override">An admin sends it although the alignment check stops it (recorded on the mailing).</param>
public sealed record MailingSendBody(bool? Override);

public sealed record MailingDto(
    long Id, string Name, MailingState State, long TemplateId, string TemplateName, string RecordType, string? Tag, string? Filter, long[]? RecordIds,
    DateTimeOffset? ScheduledAt, long? OutgoingServerId, string? OutgoingServerName, int? PerHour, int? SpreadMinutes,
    int Total, int Queued, int Sent, int Delivered, int Deferred, int Failed, int Bounced, int Suppressed, int Skipped, int Cancelled,
    int Unsubscribed, int Complained, int Replied, double ComplaintRate, double BounceRate, string? Warning, bool RulesOverridden,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? QueuedAt, DateTimeOffset? FinishedAt,
    string? Note)
{
    public static MailingDto Of(MailingSummary s)
    {
        var (m, c) = (s.Mailing, s.Counts);
        return new MailingDto(m.Id, m.Name, m.State, m.TemplateId, s.TemplateName, m.RecordType, m.Tag, m.Filter,
            MailingService.FilterOf(m).RecordIds?.ToArray(), m.ScheduledAt, m.OutgoingServerId, s.OutgoingServerName, m.PerHour, m.SpreadMinutes,
            c.Total, c.Queued, c.Sent, c.Delivered, c.Deferred, c.Failed, c.Bounced, c.Suppressed, c.Skipped, c.Cancelled,
            c.Unsubscribed, c.Complained, c.Replied, MailingRules.ComplaintRate(c), MailingRules.BounceRate(c), MailingRules.Warning(c), m.RulesOverridden,
            m.CreatedAt, m.StartedAt, m.QueuedAt, m.FinishedAt, m.Note);
    }
}

public static class MailingsApi
{
    public static void MapMailingsApi(this RouteGroupBuilder api)
    {
        var mailings = api.MapGroup("/mailings").WithTags("Mailings");
        mailings.MapPost("", async (MailingBody body, MailingService service, MailingReader reader, SettingsService settings, HttpRequest request,
            ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var created = await service.CreateAsync(new MailingInput(body.Name, body.TemplateId, body.RecordType, body.Tag, body.RecordIds ?? body.ContactIds,
                body.ScheduledAt, body.OutgoingServerId, body.PerHour, body.SpreadMinutes, body.Filter), user.ToActingUser(), await PublicBaseUrlAsync(settings, request, cancellationToken), cancellationToken);
            return Results.Created($"/api/v1/mailings/{created.Id}", MailingDto.Of(await reader.GetAsync(created.Id, cancellationToken)));
        })
        .WithSummary("Make a mailing: a template to records with a tag, listed records, or all; a draft, or scheduled with scheduledAt");

        mailings.MapPost("/audience", async (MailingAudienceBody body, MailingAudiences audiences, CancellationToken cancellationToken) =>
        {
            try
            {
                var preview = await audiences.PreviewAsync(body.RecordType, new AudienceFilter(body.Tag, body.RecordIds, body.Filter), cancellationToken);
                return Results.Ok(new { count = preview.Count, sample = preview.Sample.Select(v => new { type = v.Ref.Type, id = v.Ref.Id, title = v.Title, email = v.Email }) });
            }
            catch (Parley.Core.Mailings.Filters.FilterException e)
            {
                return Results.BadRequest(new { errors = new Dictionary<string, string[]> { ["filter"] = [e.Message] }, column = e.Column });
            }
        })
        .WithSummary("How many records a filter, tag or list of ids reaches, and a few of them (before making the mailing)");

        mailings.MapGet("", async (int? skip, int? take, MailingReader reader, CancellationToken cancellationToken) =>
            (await reader.ListAsync(skip ?? 0, take ?? 50, cancellationToken)).Page.Select(MailingDto.Of))
            .WithSummary("The mailings, newest first, with their counts");

        mailings.MapGet("/{id:long}", async (long id, MailingReader reader, CancellationToken cancellationToken) => MailingDto.Of(await reader.GetAsync(id, cancellationToken)))
            .WithSummary("One mailing: its state and where its recipients are");

        mailings.MapGet("/{id:long}/recipients", async (long id, string? state, int? skip, int? take, MailingReader reader, CancellationToken cancellationToken) =>
        {
            var (page, total) = await reader.RecipientsAsync(id, state, skip ?? 0, take ?? 100, cancellationToken);
            return new { total, recipients = page };
        })
        .WithSummary("A mailing's recipients with each one's state (filter with state=sent, suppressed…)");

        mailings.MapPost("/{id:long}/send", async (long id, MailingSendBody? body, MailingService service, MailingReader reader, ClaimsPrincipal user,
            CancellationToken cancellationToken) =>
        {
            await service.SendAsync(id, user.ToActingUser(), cancellationToken, body?.Override ?? false);
            return Results.Accepted($"/api/v1/mailings/{id}", MailingDto.Of(await reader.GetAsync(id, cancellationToken)));
        })
        .WithSummary("Send a draft or scheduled mailing now");

        mailings.MapPost("/{id:long}/resume", async (long id, MailingService service, MailingReader reader, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            await service.ResumeAsync(id, user.ToActingUser(), cancellationToken);
            return MailingDto.Of(await reader.GetAsync(id, cancellationToken));
        })
        .WithSummary("Resume a mailing the complaint rate paused (admins only; the rule is then overridden for it)");

        mailings.MapPost("/{id:long}/cancel", async (long id, MailingService service, MailingReader reader, CancellationToken cancellationToken) =>
        {
            await service.CancelAsync(id, cancellationToken);
            return MailingDto.Of(await reader.GetAsync(id, cancellationToken));
        })
        .WithSummary("Cancel a mailing: what is not yet handed to a server is not sent");

        mailings.MapPost("/{id:long}/test", async (long id, MailingTestBody body, MailingService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var message = await service.SendTestAsync(id, body.To, body.RecordId, user.ToActingUser(), cancellationToken);
            return Results.Accepted($"/api/v1/mailings/{id}", new { messageId = message.Id, to = message.To, subject = message.Subject });
        })
        .WithSummary("Send one rendered copy, marked as a test, to a user");
    }

    /// <summary>Links in emails must work from the customer's side: the configured public host name, else the address this request came to.</summary>
    public static async Task<string> PublicBaseUrlAsync(SettingsService settings, HttpRequest request, CancellationToken cancellationToken) =>
        (await settings.GetHostSettingsAsync(cancellationToken)).Hostname is { } host ? $"https://{host}" : $"{request.Scheme}://{request.Host}";
}
