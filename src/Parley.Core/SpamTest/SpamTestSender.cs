using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Templates;

namespace Parley.Core.SpamTest;

/// <summary>
/// "Send a test": renders a template for a chosen record and sends it through Parley's real outgoing route (the outbox,
/// the route planner's relay or direct MX, DKIM) to a new test address, so the report measures how this installation
/// sends. The email shows in the record's chatter as sent to the test address; the copy that arrives is the test's only.
/// </summary>
public sealed class SpamTestSender(ParleyDbContext db, RecordDirectory records, TemplateRenderer renderer, SpamTestService tests, ReplyAddressProvider replies,
    OutboxSignal outbox, TimeProvider clock)
{
    public async Task<SpamTestView> SendAsync(long? templateId, string? recordType, long? recordId, ActingUser user, CancellationToken cancellationToken)
    {
        if (templateId is null || string.IsNullOrWhiteSpace(recordType) || recordId is null)
        {
            throw new InvalidInputException("templateId", "Name the template and the record to render it for: {templateId, recordType, recordId}.");
        }

        var template = await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, cancellationToken)
            ?? throw new InvalidInputException("templateId", $"Template {templateId} does not exist.");
        var record = new RecordRef(recordType.Trim().ToLowerInvariant(), recordId.Value);
        if (template.RecordType != record.Type)
        {
            throw new InvalidInputException("templateId", $"Template \"{template.Name}\" is for {template.RecordType} records, not {record.Type}.");
        }

        var view = await records.GetAsync(record, cancellationToken);
        var rendered = await renderer.RenderAsync(template.Subject, template.Body, view, user, cancellationToken);
        var test = await tests.CreateAsync(user.Id, template.Id, record, cancellationToken);
        var domain = test.Address[(test.Address.IndexOf('@') + 1)..];
        // The record's own address is replaced by the test's: the rest (From, route, signature) is what the customer would get.
        var email = EmailStager.Build(view with { Email = test.Address }, rendered.Subject, rendered.Body, user, domain,
            await replies.ForAsync(record, domain, cancellationToken), null, null, clock.GetUtcNow());
        db.Messages.Add(email.Message);
        db.Outbox.Add(email.Delivery);
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
        return test;
    }
}
