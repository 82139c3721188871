using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Core.Outbox;
using static Parley.Core.Common.TextLimit;

namespace Parley.Core.Mailings;

/// <summary>
/// A mailing's life, as users drive it: made as a draft (or scheduled), sent, cancelled; a test copy to a user. Every
/// change is checked first — a template that renders for its records, someone to send to, a time in the future — and
/// refused with the reason, so nothing half-made is ever sent. The queuing itself is the worker's
/// (<see cref="MailingWorker"/>, <see cref="MailingQueuer"/>).
/// </summary>
public sealed class MailingService(
    ParleyDbContext db,
    IEnumerable<IMailingAudience> audiences,
    MailingQueuer queuer,
    MailingComposer composer,
    MailingSignal signal,
    MailingProgress progress,
    AlignmentGate alignment,
    ChatterEvents events,
    Microsoft.Extensions.Options.IOptions<MailingOptions> options,
    EmailStager stager,
    OutboxSignal outbox,
    DatabaseWriteGate writeGate,
    TimeProvider clock)
{
    public const int MaxRecordIds = 10_000;

    /// <param name="publicBaseUrl">Where unsubscribe links point (this server as the internet reaches it).</param>
    public async Task<Mailing> CreateAsync(MailingInput input, ActingUser user, string publicBaseUrl, CancellationToken cancellationToken)
    {
        if (input.TemplateId is not { } templateId)
        {
            throw new InvalidInputException("templateId", "Choose the template to send.");
        }
        var template = await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, cancellationToken)
            ?? throw new InvalidInputException("templateId", $"Template {templateId} does not exist.");
        var recordType = string.IsNullOrWhiteSpace(input.RecordType) ? template.RecordType : input.RecordType.Trim().ToLowerInvariant();
        if (template.RecordType != recordType)
        {
            throw new InvalidInputException("templateId", $"Template \"{template.Name}\" is for {template.RecordType} records, not {recordType}.");
        }
        var audience = MailingQueuer.AudienceFor(audiences, recordType);
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var name = string.IsNullOrWhiteSpace(input.Name) ? template.Name : input.Name.Trim();
        if (name.Length > 200)
        {
            errors["name"] = ["A mailing's name may have at most 200 characters."];
        }
        if (input.ScheduledAt is { } at && at <= now)
        {
            errors["scheduledAt"] = [$"{at.ToUniversalTime():yyyy-MM-dd HH:mm} UTC is in the past: choose a time to come, or send it now."];
        }
        if (input.RecordIds is { Count: > MaxRecordIds })
        {
            errors["recordIds"] = [$"List at most {MaxRecordIds:N0} records; for more, give them a tag and mail the tag."];
        }
        if (input.RecordIds is { Count: > 0 } && !string.IsNullOrWhiteSpace(input.Tag))
        {
            errors["tag"] = ["Give either a tag or a list of records, not both."];
        }
        var filterText = string.IsNullOrWhiteSpace(input.Filter) ? null : input.Filter.Trim();
        if (filterText is not null && (input.RecordIds is { Count: > 0 } || !string.IsNullOrWhiteSpace(input.Tag)))
        {
            errors["filter"] = ["Give a filter, a tag or a list of records: one of them."];
        }
        else if (filterText is not null && MailingAudiences.FilterError(audience, filterText) is { } filterError)
        {
            errors["filter"] = [filterError];
        }
        if (input.PerHour is <= 0 or > 1_000_000)
        {
            errors["perHour"] = ["Emails per hour must be between 1 and 1,000,000."];
        }
        if (input.SpreadMinutes is <= 0 or > 60 * 24 * 30)
        {
            errors["spreadMinutes"] = ["A mailing can be spread over 1 minute to 30 days."];
        }
        if (input.PerHour is not null && input.SpreadMinutes is not null)
        {
            errors["spreadMinutes"] = ["Pace a mailing by emails per hour or by a window, not both."];
        }
        if (input.OutgoingServerId is { } serverId && !await db.OutgoingServers.AnyAsync(s => s.Id == serverId, cancellationToken))
        {
            errors["outgoingServerId"] = [$"Outgoing server {serverId} does not exist."];
        }
        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }
        var mailing = new Mailing
        {
            Name = name,
            TemplateId = templateId,
            RecordType = recordType,
            Tag = string.IsNullOrWhiteSpace(input.Tag) ? null : Truncate(input.Tag.Trim().ToLowerInvariant(), 200),
            Filter = filterText,
            RecordIds = input.RecordIds is { Count: > 0 } ids ? string.Join(',', ids.Distinct().Select(i => i.ToString(CultureInfo.InvariantCulture))) : null,
            State = input.ScheduledAt is null ? MailingState.Draft : MailingState.Scheduled,
            ScheduledAt = input.ScheduledAt,
            OutgoingServerId = input.OutgoingServerId,
            PerHour = input.PerHour,
            SpreadMinutes = input.SpreadMinutes,
            PublicBaseUrl = Truncate(publicBaseUrl.TrimEnd('/'), 500),
            CreatedByUserId = user.Id,
            CreatedAt = now,
        };
        await CheckSendableAsync(mailing, user, overrideRules: false, cancellationToken);
        db.Mailings.Add(mailing);
        await db.SaveChangesAsync(cancellationToken);
        if (mailing.State == MailingState.Scheduled)
        {
            signal.Notify();
        }
        return mailing;
    }

    /// <summary>Sends a draft (or a scheduled mailing) now: the worker queues it at once.</summary>
    /// <param name="overrideRules">An admin sends it although the alignment gate stops it (recorded on the mailing).</param>
    public async Task<Mailing> SendAsync(long id, ActingUser user, CancellationToken cancellationToken, bool overrideRules = false)
    {
        var mailing = await FindAsync(id, cancellationToken);
        if (mailing.State is not (MailingState.Draft or MailingState.Scheduled))
        {
            throw new InvalidInputException("state", $"The mailing is {Words(mailing.State)}; only a draft or a scheduled mailing can be sent.");
        }
        await CheckSendableAsync(mailing, user, overrideRules, cancellationToken);
        var now = clock.GetUtcNow();
        var previous = mailing.State;
        await using (await writeGate.EnterAsync(db, cancellationToken))
        {
            var started = await db.Mailings.Where(m => m.Id == id && m.State == previous)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MailingState.Sending).SetProperty(m => m.StartedAt, now)
                    .SetProperty(m => m.Total, mailing.Total).SetProperty(m => m.RulesOverridden, mailing.RulesOverridden)
                    .SetProperty(m => m.Note, mailing.Note), cancellationToken);
            if (started == 0)
            {
                throw new InvalidInputException("state", "The mailing changed meanwhile (it started or was cancelled); reload it.");
            }
        }
        signal.Notify();
        progress.Moved(id);
        return await FindAsync(id, cancellationToken);
    }

    /// <summary>
    /// Cancels a mailing: recipients not yet queued never are, and emails not yet handed to a server (queued, deferred,
    /// not claimed by a worker) are cancelled on their outbox rows and chatter messages. What was sent stays sent.
    /// </summary>
    public async Task<Mailing> CancelAsync(long id, CancellationToken cancellationToken)
    {
        var mailing = await FindAsync(id, cancellationToken);
        if (mailing.State is MailingState.Sent or MailingState.Cancelled)
        {
            throw new InvalidInputException("state", $"The mailing is already {Words(mailing.State)}.");
        }
        var now = clock.GetUtcNow();
        await using (await writeGate.EnterAsync(db, cancellationToken))
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var cancelled = await db.Mailings.Where(m => m.Id == id && m.State != MailingState.Sent && m.State != MailingState.Cancelled)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MailingState.Cancelled).SetProperty(m => m.FinishedAt, now)
                    .SetProperty(m => m.QueueLeaseOwner, (string?)null).SetProperty(m => m.QueueLeaseUntil, (DateTimeOffset?)null)
                    .SetProperty(m => m.Note, "Cancelled by hand."), cancellationToken);
            if (cancelled == 1)
            {
                await CancelUnsentAsync(db, id, now, cancellationToken);
            }
            await tx.CommitAsync(cancellationToken);
        }
        progress.Moved(id);
        return await FindAsync(id, cancellationToken);
    }

    /// <summary>The mailing's emails not yet handed to a server, cancelled with their recipients (in the caller's transaction).</summary>
    public static async Task CancelUnsentAsync(ParleyDbContext db, long mailingId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = await OutboxTransitions.CancelUnsentAsync(db, db.Outbox.Where(o => o.MailingId == mailingId),
            "The mailing was cancelled before this email was handed to a server.", now, cancellationToken);
        foreach (var chunk in ids.Chunk(500))
        {
            await db.MailingRecipients.Where(r => r.MailingId == mailingId && r.OutboxItemId != null && chunk.Contains(r.OutboxItemId.Value))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RecipientState.Cancelled)
                    .SetProperty(r => r.Detail, "Cancelled before it was handed to a server."), cancellationToken);
        }
    }

    /// <summary>
    /// One copy, rendered for the first record the mailing goes to (or the one given), marked as a test, to a Parley
    /// user's address. It is kept in the mailing's own chatter, not the record's.
    /// </summary>
    public async Task<ChatterMessage> SendTestAsync(long id, string? to, long? recordId, ActingUser user, CancellationToken cancellationToken)
    {
        var mailing = await FindAsync(id, cancellationToken);
        var address = EmailAddress.Normalize(to) ?? throw new InvalidInputException("to", "Give the address to send the test to, such as you@example.com.");
        if (!await db.Users.AnyAsync(u => u.Email == address, cancellationToken))
        {
            throw new InvalidInputException("to", $"{address} is not a Parley user's address: a test copy goes to a user, never to a customer.");
        }
        var member = await FirstMemberAsync(mailing, recordId, cancellationToken)
            ?? throw new InvalidInputException("recordId", "No record matches this mailing to render the test copy for.");
        var run = await queuer.RunOfAsync(mailing, cancellationToken) with { Sender = user };
        var rendered = await composer.ComposeTestAsync(run, member, cancellationToken);
        var testView = new Records.RecordView(MailingProgress.LiveRef(mailing.Id), $"Test of {mailing.Name}", address, member.View.Fields);
        var message = await stager.StageAsync(testView, rendered.Subject, rendered.Body, run.From with { Id = user.Id }, run.AliasDomain,
            [new("X-Parley-Test", $"mailing {mailing.Id}")], cancellationToken, threadOnLastReply: false);
        db.ChangeTracker.Entries<OutboxItem>().Single(e => e.Entity.ChatterMessage == message).Entity.OutgoingServerId = mailing.OutgoingServerId;
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
        return message;
    }

    /// <summary>
    /// Stops a sending mailing whose complaint rate went past the stop line: what is not yet handed to a server is held,
    /// and the mailing's own timeline says why (admins resume it, or cancel it).
    /// </summary>
    public async Task<bool> PauseAsync(long id, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using (await writeGate.EnterAsync(db, cancellationToken))
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var paused = await db.Mailings.Where(m => m.Id == id && m.State == MailingState.Sending && !m.RulesOverridden)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MailingState.Paused).SetProperty(m => m.Note, Truncate(reason, 2000)), cancellationToken);
            if (paused == 0)
            {
                return false;
            }
            await OutboxTransitions.HoldUnsentAsync(db, db.Outbox.Where(o => o.MailingId == id), PausedReason, now, cancellationToken);
            db.Messages.Add(ChatterEntries.Event(MailingProgress.LiveRef(id), ChatterEntries.ParleyAuthor,
                $"Paused: {reason} An admin can resume it (the rule is then overridden) or cancel it.", now));
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        events.Publish(MailingProgress.LiveRef(id), 0);
        progress.Moved(id);
        return true;
    }

    /// <summary>An admin resumes a paused mailing: its held emails are due again, and the complaint stop no longer applies to it.</summary>
    public async Task<Mailing> ResumeAsync(long id, ActingUser user, CancellationToken cancellationToken)
    {
        if (!user.IsAdmin)
        {
            throw new ForbiddenException("Only an administrator can resume a mailing that the complaint rate stopped.");
        }
        var mailing = await FindAsync(id, cancellationToken);
        if (mailing.State != MailingState.Paused)
        {
            throw new InvalidInputException("state", $"The mailing is {Words(mailing.State)}; only a paused mailing can be resumed.");
        }
        var now = clock.GetUtcNow();
        var note = Truncate($"Resumed by {user.Name} despite: {mailing.Note}", 2000);
        await using (await writeGate.EnterAsync(db, cancellationToken))
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Mailings.Where(m => m.Id == id && m.State == MailingState.Paused)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MailingState.Sending).SetProperty(m => m.RulesOverridden, true)
                    .SetProperty(m => m.Note, note), cancellationToken);
            await OutboxTransitions.Release(db, db.Outbox.Where(o => o.MailingId == id), PausedReason, now, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        outbox.Notify();
        progress.Moved(id);
        return await FindAsync(id, cancellationToken);
    }

    private const string PausedReason = "The mailing is paused: its complaint rate is past 0.3 %.";

    /// <summary>Someone to send to, and a template that renders for them in every language: else refused with the reason.</summary>
    private async Task CheckSendableAsync(Mailing mailing, ActingUser user, bool overrideRules, CancellationToken cancellationToken)
    {
        var audience = MailingQueuer.AudienceFor(audiences, mailing.RecordType);
        var filter = FilterOf(mailing);
        var count = await audience.CountAsync(filter, cancellationToken);
        if (count == 0)
        {
            throw new InvalidInputException(mailing.Filter is not null ? "filter" : mailing.Tag is not null ? "tag" : "recordIds", $"Nobody to send to: no record is among {filter.Describe(mailing.RecordType)}.");
        }
        mailing.Total = count;
        var member = (await audience.PageAsync(filter, 0, 1, cancellationToken))[0];
        var run = await queuer.RunOfAsync(mailing, cancellationToken);
        if (await composer.FindErrorAsync(run.Content, member, run.Sender, cancellationToken) is { } error)
        {
            throw new InvalidInputException("templateId", $"The template does not render for {member.View.Title}, so nothing is sent: {error}");
        }
        if (count > options.Value.AlignmentGateRecipients
            && await alignment.ProblemAsync(run.Sender.Email, run.AliasDomain, cancellationToken) is { } problem)
        {
            if (!overrideRules || !user.IsAdmin)
            {
                throw new InvalidInputException("alignment",
                    $"A mailing to {count:N0} recipients waits for aligned authentication. {problem} An admin can send it anyway.");
            }
            mailing.RulesOverridden = true;
            mailing.Note = Truncate($"Sent by {user.Name} to {count:N0} recipients despite the alignment check: {problem}", 2000);
        }
    }

    private async Task<AudienceMember?> FirstMemberAsync(Mailing mailing, long? recordId, CancellationToken cancellationToken)
    {
        var audience = MailingQueuer.AudienceFor(audiences, mailing.RecordType);
        var filter = recordId is { } one ? new AudienceFilter(null, [one]) : FilterOf(mailing);
        return (await audience.PageAsync(filter, 0, 1, cancellationToken)).FirstOrDefault();
    }

    private async Task<Mailing> FindAsync(long id, CancellationToken cancellationToken) =>
        await db.Mailings.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken) ?? throw new NotFoundException($"Mailing {id}");

    public static AudienceFilter FilterOf(Mailing mailing) => new(mailing.Tag,
        mailing.RecordIds?.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(i => long.Parse(i, CultureInfo.InvariantCulture)).ToList(),
        mailing.Filter);

    private static string Words(MailingState state) => state.ToString().ToLowerInvariant();
}
