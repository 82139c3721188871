using Microsoft.EntityFrameworkCore;
using MimeKit;
using Parley.Core.Aliases;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Core.Inbound;

/// <summary>Where a message goes (a record), or why it goes nowhere.</summary>
/// <param name="Answers">The chatter message a reply answers (found by its Message-ID), when it is known.</param>
public sealed record Destination(RecordRef? Record, string Why, long? Answers = null);

/// <summary>
/// Finds the record for a message: a reply (a Message-ID Parley sent or received in In-Reply-To/References,
/// else the signed reply address), then an alias (subject to its contact policy), then the catchall policy. Special inboxes
/// (<see cref="SpecialInboxes"/>: spam test, complaints, unsubscribe) have taken their mail before (<see cref="RoutingSteps"/>).
/// Automatic mail (auto-replies, bulk) threads onto existing conversations but never starts a new one.
/// A header From that its domain's DMARC does not back (<see cref="SenderTrust"/>) never picks a contact: such a message
/// stays unrouted, marked as suspected spoofing; a reply that proves itself (our Message-ID, our signed reply address)
/// still threads, and the timeline shows the doubt. Which addresses exist on the alias domain, and what each one is, comes
/// from <see cref="AliasDomainAddresses"/>, as it does at RCPT time.
/// </summary>
public sealed class InboundDestinations(ParleyDbContext db, ContactService contacts, RecordDirectory records)
{
    public async Task<Destination> FindAsync(InboundMessage inbound, MimeMessage mime, IReadOnlyList<string> recipients, RouteContext context,
        string? automatic, string? senderDoubt, Func<CancellationToken, Task> beforeWrite, CancellationToken cancellationToken)
    {
        if (await FindThreadAsync(mime, recipients, context, cancellationToken) is { } reply)
        {
            return reply;
        }

        var kept = " It is kept in the unrouted list: assign it to a record if you know it is genuine.";

        var sender = mime.From.Mailboxes.FirstOrDefault();
        var onDomain = recipients.Select(context.Addresses.LocalPartOf).OfType<string>().ToList();
        if (onDomain.Select(context.Addresses.AliasOf).FirstOrDefault(a => a is not null) is { } alias)
        {
            if (automatic is not null)
            {
                return new Destination(null, $"An automatic message ({automatic}) to {alias.LocalPart}@; Parley does not start conversations from automatic mail.");
            }

            if (senderDoubt is not null)
            {
                return new Destination(null, senderDoubt + kept);
            }

            return await ForAliasAsync(alias, sender, context.Lookups, beforeWrite, cancellationToken);
        }

        var nothing = "No thread matched: neither a known Message-ID in In-Reply-To/References nor a reply address";
        if (context.Settings.Catchall != CatchallPolicy.ContactThread)
        {
            return new Destination(null, nothing + (onDomain.Count > 0 ? ", and no alias for " + string.Join(", ", onDomain.Distinct()) + "@." : "."));
        }

        if (automatic is not null)
        {
            return new Destination(null, $"{nothing}; an automatic message ({automatic}) does not start a contact thread.");
        }

        if (senderDoubt is not null)
        {
            return new Destination(null, senderDoubt + kept);
        }

        var contact = await FindOrCreateContactAsync(sender, create: true, context.Lookups, beforeWrite, cancellationToken);
        return contact is null
            ? new Destination(null, $"{nothing}; the sender's address is not usable for a contact thread.")
            : new Destination(new RecordRef(RecordDirectory.ContactType, contact.Value.Id), $"Catchall: {(contact.Value.Created ? "new" : "existing")} contact thread of {contact.Value.Email}.");
    }

    private async Task<Destination> ForAliasAsync(MailAlias alias, MailboxAddress? sender, RouteLookups lookups, Func<CancellationToken, Task> beforeWrite,
        CancellationToken cancellationToken)
    {
        var name = alias.LocalPart + "@";
        switch (alias.ContactPolicy)
        {
            case AliasContactPolicy.KnownContacts:
                {
                    var known = await FindOrCreateContactAsync(sender, create: false, lookups, beforeWrite, cancellationToken);
                    return known is null
                        ? new Destination(null, $"The alias {name} accepts only known contacts, and {sender?.Address ?? "the sender"} is not one.")
                        : new Destination(new RecordRef(RecordDirectory.ContactType, known.Value.Id), $"Alias {name}: contact thread of {known.Value.Email}.");
                }
            case AliasContactPolicy.Followers:
                {
                    var address = sender?.Address.ToLowerInvariant() ?? "";
                    var follows = address.Length > 0 && (await db.Followers.AnyAsync(f => f.Email == address, cancellationToken) || await db.Users.AnyAsync(u => u.Email == address, cancellationToken));
                    if (!follows)
                    {
                        return new Destination(null, $"The alias {name} accepts only followers, and {sender?.Address ?? "the sender"} follows nothing.");
                    }

                    break;
                }
        }
        var contact = await FindOrCreateContactAsync(sender, create: true, lookups, beforeWrite, cancellationToken);
        return contact is null
            ? new Destination(null, $"The alias {name} needs a sender address that can become a contact; \"{sender?.Address}\" cannot.")
            : new Destination(new RecordRef(alias.RecordType, contact.Value.Id), $"Alias {name}: {(contact.Value.Created ? "new" : "existing")} contact {contact.Value.Email}.");
    }

    /// <param name="beforeWrite">Called before a new contact is saved: it joins the routing chunk's transaction.</param>
    private async Task<(long Id, string Email, bool Created)?> FindOrCreateContactAsync(MailboxAddress? sender, bool create, RouteLookups lookups,
        Func<CancellationToken, Task> beforeWrite, CancellationToken cancellationToken)
    {
        var email = EmailAddress.Normalize(sender?.Address);
        if (email is null)
        {
            return null;
        }

        if (await lookups.ContactAsync(email, cancellationToken) is { } existing)
        {
            return (existing.Id, existing.Email, false);
        }

        if (!create)
        {
            return null;
        }

        try
        {
            await beforeWrite(cancellationToken);
            var created = await contacts.CreateAsync(ContactInput.FromSender(email, sender!.Name), cancellationToken);
            lookups.ContactCreated(created.Id, created.Email);
            return (created.Id, created.Email, true);
        }
        catch (InvalidInputException)
        {
            return null;
        }
    }

    private async Task<Destination?> FindThreadAsync(MimeMessage mime, IReadOnlyList<string> recipients, RouteContext context, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        if (!string.IsNullOrEmpty(mime.InReplyTo))
        {
            ids.Add(mime.InReplyTo);
        }

        ids.AddRange(mime.References.Where(r => !string.IsNullOrEmpty(r)));
        if (ids.Count > 0)
        {
            var distinct = ids.Distinct().Take(100).ToList();
            var match = await db.Messages.AsNoTracking()
                .Where(m => m.MessageId != null && distinct.Contains(m.MessageId))
                .OrderByDescending(m => m.Id)
                .Select(m => new { m.Id, m.RecordType, m.RecordId, m.MessageId })
                .FirstOrDefaultAsync(cancellationToken);
            if (match is not null && !await records.ExistsAsync(new RecordRef(match.RecordType, match.RecordId), cancellationToken))
            {
                return Gone(new RecordRef(match.RecordType, match.RecordId), $"by Message-ID <{match.MessageId}>");
            }

            if (match is not null)
            {
                return new Destination(new RecordRef(match.RecordType, match.RecordId), $"Reply in {match.RecordType} {match.RecordId}, by Message-ID <{match.MessageId}>.",
                    Answers: match.Id);
            }
        }

        // Providers that rewrite Message-IDs still keep the address the customer replied to.
        foreach (var address in recipients.Concat(mime.To.Mailboxes.Concat(mime.Cc.Mailboxes).Select(m => m.Address)))
        {
            if (context.Addresses.ThreadOf(address) is { } record)
            {
                // Parley signed this address for that record: if it is gone, the reply is nobody else's.
                return await records.ExistsAsync(record, cancellationToken)
                    ? new Destination(record, $"Reply in {record.Type} {record.Id}, by the reply address.")
                    : Gone(record, "by the reply address");
            }
        }
        return null;
    }

    /// <summary>A reply to a record that was deleted (ADR 0026): kept unrouted, never attached to another record.</summary>
    private static Destination Gone(RecordRef record, string how) => new(null,
        $"A reply ({how}) to {record.Type} {record.Id}, which was deleted. It is kept in the unrouted list: assign it to a record if it belongs somewhere.");
}
