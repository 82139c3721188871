using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Chatter;
using Parley.Core.Contacts;
using Parley.Core.Identity;
using Parley.Core.Inbound;
using Parley.Core.Records;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Inbound;

public abstract class InboundRoutingTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private async Task<(ActingUser User, Contact Contact, RecordRef Record, ChatterMessage Sent, string ReplyTo)> SentEmailAsync()
    {
        var user = await Env.CreateUserAsync();
        var contact = await Env.CreateContactAsync();
        await Env.SetAliasDomainAsync();
        var record = new RecordRef("contact", contact.Id);
        var sent = await Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(record, new ComposeRequest(MessageKind.Email, "Your quote", "Here it is", null), user, default));
        var raw = await Env.RawMimeAsync(sent.RawMimeId);
        return (user, contact, record, sent, MimeText.Parse(raw).ReplyTo.Mailboxes.Single().Address);
    }

    private Task<long> StoreAsync(byte[] raw, params string[] recipients) =>
        Env.ReceiveAsync(raw, "ana@customer.test", recipients.Length == 0 ? ["catchall@mail.parley.test"] : recipients);

    private Task<long> StoreAsync(string mime, params string[] recipients) =>
        StoreAsync(Encoding.UTF8.GetBytes(mime.Replace("\r\n", "\n").Replace("\n", "\r\n")), recipients);

    private Task<int> RouteAsync() => Env.With<InboundRouter, int>(r => r.RoutePendingAsync(100, default));

    private Task<InboundMessage> Inbound(long id) => Env.Db(db => db.Inbound.AsNoTracking().SingleAsync(i => i.Id == id));

    private static string Reply(string headers, string body = "Thanks, looks good.") =>
        "From: Ana Lima <ana@customer.test>\n" +
        "To: catchall@mail.parley.test\n" +
        "Subject: Re: Your quote\n" +
        "Date: Mon, 23 Nov 2026 10:00:00 +0000\n" +
        "Message-ID: <reply-1@customer.test>\n" +
        headers +
        "MIME-Version: 1.0\n" +
        "Content-Type: text/plain; charset=utf-8\n\n" +
        body + "\n";

    private async Task<ChatterMessage> AssertRoutedAsync(long inboundId, RecordRef record)
    {
        var inbound = await Inbound(inboundId);
        Assert.Equal(InboundStatus.Routed, inbound.Status);
        Assert.NotNull(inbound.ChatterMessageId);
        var message = await Env.Db(db => db.Messages.AsNoTracking().SingleAsync(m => m.Id == inbound.ChatterMessageId));
        Assert.Equal(record.Type, message.RecordType);
        Assert.Equal(record.Id, message.RecordId);
        Assert.Equal(MessageKind.Email, message.Kind);
        Assert.Equal(MessageDirection.In, message.Direction);
        Assert.Equal(DeliveryState.Received, message.State);
        Assert.Equal(inbound.RawMimeId, message.RawMimeId);
        return message;
    }

    [Fact]
    public async Task A_stored_message_keeps_its_exact_bytes_and_waits_for_routing()
    {
        var bytes = Encoding.Latin1.GetBytes("From: a@customer.test\r\nSubject: caf\xe9 8-bit\r\n\r\nbody \xff\r\n");
        var id = await StoreAsync(bytes, "catchall@mail.parley.test", "other@mail.parley.test");
        var inbound = await Inbound(id);
        Assert.Equal(InboundStatus.Pending, inbound.Status);
        Assert.Equal("catchall@mail.parley.test,other@mail.parley.test", inbound.Recipients);
        Assert.Equal("ana@customer.test", inbound.MailFrom);
        Assert.Equal(bytes, await Env.RawMimeAsync(inbound.RawMimeId));
    }

    [Fact]
    public async Task A_reply_is_matched_by_In_Reply_To()
    {
        var (_, _, record, sent, _) = await SentEmailAsync();
        var id = await StoreAsync(Reply($"In-Reply-To: <{sent.MessageId}>\n"));
        Assert.Equal(1, await RouteAsync());

        var message = await AssertRoutedAsync(id, record);
        Assert.Equal("Re: Your quote", message.Subject);
        Assert.Equal("Thanks, looks good.", message.BodyText.Trim());
        Assert.Equal("Ana Lima", message.AuthorName);
        Assert.Equal("reply-1@customer.test", message.MessageId);
        Assert.Equal(sent.MessageId, message.InReplyTo);
        Assert.Equal("reply-1@customer.test", (await Inbound(id)).MessageId);
    }

    [Fact]
    public async Task A_reply_is_matched_by_References_when_In_Reply_To_is_missing()
    {
        var (_, _, record, sent, _) = await SentEmailAsync();
        var id = await StoreAsync(Reply($"References: <older@elsewhere.test> <{sent.MessageId}>\n"));
        await RouteAsync();
        await AssertRoutedAsync(id, record);
    }

    [Fact]
    public async Task A_reply_whose_Message_ID_was_rewritten_is_matched_by_the_reply_address()
    {
        var (_, _, record, _, replyTo) = await SentEmailAsync();
        var id = await StoreAsync(Reply("In-Reply-To: <rewritten-by-provider@outlook.test>\n"), replyTo);
        await RouteAsync();
        await AssertRoutedAsync(id, record);
    }

    [Fact]
    public async Task The_reply_address_in_the_To_header_is_enough()
    {
        var (_, _, record, _, replyTo) = await SentEmailAsync();
        var id = await StoreAsync(Reply("").Replace("To: catchall@mail.parley.test", "To: " + replyTo));
        await RouteAsync();
        await AssertRoutedAsync(id, record);
    }

    [Fact]
    public async Task A_reply_address_of_a_deliverability_record_routes_there_and_only_while_its_domain_exists()
    {
        await SentEmailAsync(); // sets up the alias domain and a contact whose id the domain's id may equal
        var domain = await Env.Db(async db =>
        {
            var d = new Parley.Core.Domains.SendingDomain { Name = "parley.test", CreatedAt = Env.Clock.GetUtcNow() };
            db.SendingDomains.Add(d);
            await db.SaveChangesAsync();
            return d;
        });
        var replies = await Env.Services.GetRequiredService<Parley.Core.Chatter.ReplyAddressProvider>().GetAsync(default);
        var record = new RecordRef(RecordDirectory.DeliverabilityType, domain.Id);
        var id = await StoreAsync(Reply(""), replies.For(record, "mail.parley.test"));
        await RouteAsync();
        await AssertRoutedAsync(id, record);

        // A deliverability record with no such domain is not routed, even though a contact has that id.
        var bob = await Env.CreateContactAsync("Bob", "bob@customer.test");
        Assert.NotEqual(domain.Id, bob.Id);
        var gone = new RecordRef(RecordDirectory.DeliverabilityType, bob.Id);
        var orphan = await StoreAsync(Reply("").Replace("reply-1@", "reply-2@"), replies.For(gone, "mail.parley.test"));
        await RouteAsync();
        Assert.Equal(InboundStatus.Unrouted, (await Inbound(orphan)).Status);
    }

    [Fact]
    public async Task A_special_inbox_takes_its_mail_before_aliases_and_the_catchall_policy()
    {
        await Env.SetAliasDomainAsync();
        await Env.With<InboundSettingsService>(s => s.SetAsync(new InboundSettings(Catchall: CatchallPolicy.ContactThread), default));
        await Env.With<Parley.Core.Aliases.AliasService, Parley.Core.Aliases.MailAlias>(a =>
            a.CreateAsync("sales", "contact", Parley.Core.Aliases.AliasContactPolicy.Everyone, default));
        await using var node = Env.Build(Env.Transport, "node-b", [], configure: s => s.AddSingleton<IInboundMailbox, TestAddressInbox>());

        var toInbox = await StoreAsync(Reply("").Replace("reply-1@", "inbox-1@"), "test-7f3a@mail.parley.test");
        var toAlias = await StoreAsync(Reply("").Replace("reply-1@", "alias-1@"), "sales@mail.parley.test");
        await using (var scope = node.CreateAsyncScope())
        {
            Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<InboundRouter>().RoutePendingAsync(100, default));
        }

        var taken = await Inbound(toInbox);
        Assert.Equal(InboundStatus.Routed, taken.Status);
        Assert.Equal("Test inbox: test-7f3a@mail.parley.test", taken.Route);
        Assert.Null(taken.ChatterMessageId); // not a catchall contact thread
        Assert.StartsWith("Alias sales@", (await Inbound(toAlias)).Route);
        Assert.Equal(1, await Env.Db(db => db.Messages.CountAsync(m => m.Direction == MessageDirection.In)));
    }

    /// <summary>A special inbox for the test: takes test-*@ addresses, as the spam-test inbox takes its own.</summary>
    private sealed class TestAddressInbox : IInboundMailbox
    {
        public ValueTask<bool> HasAddressAsync(string localPart, CancellationToken cancellationToken) => ValueTask.FromResult(localPart.StartsWith("test-", StringComparison.Ordinal));

        public Task<InboxOutcome?> TryTakeAsync(InboundMessage inbound, MimeKit.MimeMessage message, IReadOnlyList<string> recipients, RouteContext context,
            CancellationToken cancellationToken) =>
            Task.FromResult(recipients.FirstOrDefault(r => r.StartsWith("test-", StringComparison.Ordinal)) is { } address ? new InboxOutcome($"Test inbox: {address}") : null);
    }

    [Fact]
    public async Task A_forged_reply_address_does_not_route()
    {
        var (_, _, record, _, replyTo) = await SentEmailAsync();
        var forged = replyTo.Replace($"contact-{record.Id}-", $"contact-{record.Id + 1}-");
        await Env.CreateContactAsync("Bob", "bob@customer.test"); // so record.Id + 1 exists
        var id = await StoreAsync(Reply(""), forged);
        await RouteAsync();
        Assert.Equal(InboundStatus.Unrouted, (await Inbound(id)).Status);
        Assert.Equal(0, await Env.Db(db => db.Messages.CountAsync(m => m.Direction == MessageDirection.In)));
    }

    [Fact]
    public async Task A_message_for_no_known_thread_is_kept_as_unrouted()
    {
        await SentEmailAsync();
        var id = await StoreAsync(Reply("In-Reply-To: <unknown@elsewhere.test>\n"));
        Assert.Equal(1, await RouteAsync());
        var inbound = await Inbound(id);
        Assert.Equal(InboundStatus.Unrouted, inbound.Status);
        Assert.Contains("No thread matched", inbound.Error);
        Assert.Null(inbound.ChatterMessageId);
        Assert.Equal(0, await Env.Db(db => db.Messages.CountAsync(m => m.Direction == MessageDirection.In)));
        Assert.Equal(0, await RouteAsync()); // not retried forever
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0, 1, 2, 3, 0xff, 0xfe, 0x0a, 0x0d, 0x3a, 0x00 })]
    public async Task Unparsable_bytes_are_kept_as_unrouted_and_not_lost(byte[] garbage)
    {
        await SentEmailAsync();
        var id = await StoreAsync(garbage);
        Assert.Equal(1, await RouteAsync());
        var inbound = await Inbound(id);
        Assert.Equal(InboundStatus.Unrouted, inbound.Status);
        Assert.False(string.IsNullOrEmpty(inbound.Error));
        Assert.Equal(garbage, await Env.RawMimeAsync(inbound.RawMimeId));
    }

    [Fact]
    public async Task One_bad_message_does_not_stop_the_others()
    {
        var (_, _, record, sent, _) = await SentEmailAsync();
        var bad = await StoreAsync([]);
        var good = await StoreAsync(Reply($"In-Reply-To: <{sent.MessageId}>\n"));
        Assert.Equal(2, await RouteAsync());
        Assert.NotEqual(InboundStatus.Pending, (await Inbound(bad)).Status);
        await AssertRoutedAsync(good, record);
    }

    [Fact]
    public async Task An_html_only_reply_gets_a_plain_text_version_in_the_chatter()
    {
        var (_, _, record, sent, _) = await SentEmailAsync();
        var mime = Reply($"In-Reply-To: <{sent.MessageId}>\n", "<p>Thanks,<br>see you <b>Monday</b></p><script>alert(1)</script>")
            .Replace("text/plain", "text/html");
        var id = await StoreAsync(mime);
        await RouteAsync();
        var message = await AssertRoutedAsync(id, record);
        Assert.Equal("Thanks,\nsee you Monday", message.BodyText);
        Assert.Contains("<b>Monday</b>", message.BodyHtml);
    }

    [Fact]
    public async Task The_next_email_threads_onto_the_customers_reply()
    {
        var (user, _, record, sent, _) = await SentEmailAsync();
        await StoreAsync(Reply($"In-Reply-To: <{sent.MessageId}>\n"));
        await RouteAsync();

        var next = await Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(record, new ComposeRequest(MessageKind.Email, "Re: Your quote", "Great", null), user, default));
        Assert.Equal("reply-1@customer.test", next.InReplyTo);
        var raw = await Env.RawMimeAsync(next.RawMimeId);
        var mime = MimeText.Parse(raw);
        Assert.Equal("reply-1@customer.test", mime.InReplyTo);
        Assert.Contains("reply-1@customer.test", mime.References);
    }

    [Fact]
    public async Task Routing_publishes_a_live_update_for_the_record()
    {
        var (_, _, record, sent, _) = await SentEmailAsync();
        using var subscription = Env.Services.GetService(typeof(ChatterEvents)) is ChatterEvents events ? events.Subscribe(record) : throw new InvalidOperationException();
        var id = await StoreAsync(Reply($"In-Reply-To: <{sent.MessageId}>\n"));
        await RouteAsync();
        var routed = await Inbound(id);
        Assert.True(subscription.Reader.TryRead(out var messageId));
        Assert.Equal(routed.ChatterMessageId, messageId);
    }

    [Fact]
    public async Task A_message_that_cannot_be_saved_is_kept_as_failed_and_the_rest_of_its_chunk_is_routed()
    {
        await Env.SetAliasDomainAsync();
        await Env.With<InboundSettingsService>(s => s.SetAsync(new InboundSettings(Catchall: CatchallPolicy.ContactThread), default));
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await StoreAsync(
                $"From: Ana Lima <ana@customer.test>\nTo: catchall@mail.parley.test\nSubject: {(i == 2 ? "poison" : $"question {i}")}\n" +
                $"Message-ID: <q{i}@customer.test>\nMIME-Version: 1.0\nContent-Type: text/plain\n\nHello {i}\n"));
        }

        // The database refuses to store the chatter entry of one message: the chunk's save fails, the chunk is rolled
        // back (the contact it created too) and routed again one by one.
        await RefuseChatterEntriesAsync("poison");
        Assert.Equal(5, await RouteAsync());

        var poisoned = await Inbound(ids[2]);
        Assert.Equal(InboundStatus.Failed, poisoned.Status);
        Assert.Contains("refused for the test", poisoned.Error);
        Assert.Null(poisoned.ChatterMessageId);
        var contact = await Env.Db(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Email == "ana@customer.test"));
        foreach (var id in ids.Where(id => id != ids[2]))
        {
            var message = await AssertRoutedAsync(id, new RecordRef("contact", contact.Id));
            Assert.StartsWith("question", message.Subject);
        }
        Assert.Equal(4, await Env.Db(db => db.Messages.CountAsync(m => m.Direction == MessageDirection.In)));
    }

    [Fact]
    public async Task Two_nodes_routing_at_once_post_each_message_once()
    {
        await Env.SetAliasDomainAsync();
        await Env.With<InboundSettingsService>(s => s.SetAsync(new InboundSettings(Catchall: CatchallPolicy.ContactThread, LoopLimit: 0), default));
        const int count = 60;
        for (var i = 0; i < count; i++)
        {
            await StoreAsync($"From: Ana Lima <ana@customer.test>\nTo: catchall@mail.parley.test\nSubject: note {i}\n" +
                             $"Message-ID: <n{i}@customer.test>\nMIME-Version: 1.0\nContent-Type: text/plain\n\nHello {i}\n");
        }

        // Two nodes on the same database, each routing small batches as fast as it can until nothing is pending
        // (a node that finds the other routing gets 0 and tries again).
        var nodes = new[] { Env.Services, Env.Build(Env.Transport, "node-b", []) };
        var routedBy = await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            var total = 0;
            for (var round = 0; round < 1_000 && await Env.Db(db => db.Inbound.AnyAsync(i => i.Status == InboundStatus.Pending)); round++)
            {
                await using var scope = node.CreateAsyncScope();
                var routed = await scope.ServiceProvider.GetRequiredService<InboundRouter>().RoutePendingAsync(7, default);
                total += routed;
                if (routed == 0)
                {
                    await Task.Delay(10);
                }
            }
            return total;
        })));

        Assert.Equal(count, routedBy.Sum());
        var statuses = await Env.Db(db => db.Inbound.AsNoTracking().Select(i => i.Status).ToListAsync());
        Assert.All(statuses, status => Assert.Equal(InboundStatus.Routed, status));
        Assert.Equal(count, await Env.Db(db => db.Messages.CountAsync(m => m.Direction == MessageDirection.In)));
        Assert.Equal(1, await Env.Db(db => db.Contacts.CountAsync(c => c.Email == "ana@customer.test")));
    }

    [Fact]
    public async Task A_contact_created_for_a_message_that_cannot_be_saved_is_rolled_back_with_it()
    {
        await Env.SetAliasDomainAsync();
        await Env.With<InboundSettingsService>(s => s.SetAsync(new InboundSettings(Catchall: CatchallPolicy.ContactThread), default));
        var poisoned = await StoreAsync("From: Bo <bo@partner.test>\nTo: catchall@mail.parley.test\nSubject: poison\n" +
                                        "Message-ID: <bo1@partner.test>\nMIME-Version: 1.0\nContent-Type: text/plain\n\nHello\n");
        var fine = await StoreAsync("From: Cy <cy@partner.test>\nTo: catchall@mail.parley.test\nSubject: a question\n" +
                                    "Message-ID: <cy1@partner.test>\nMIME-Version: 1.0\nContent-Type: text/plain\n\nHello\n");

        await RefuseChatterEntriesAsync("poison");
        Assert.Equal(2, await RouteAsync());

        Assert.Equal(InboundStatus.Failed, (await Inbound(poisoned)).Status);
        Assert.False(await Env.Db(db => db.Contacts.AnyAsync(c => c.Email == "bo@partner.test")), "the failed message's new contact must not stay");
        var cy = await Env.Db(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Email == "cy@partner.test"));
        await AssertRoutedAsync(fine, new RecordRef("contact", cy.Id));
    }

    /// <summary>The database itself refuses a chatter entry with this subject.</summary>
    private Task RefuseChatterEntriesAsync(string subject) =>
        Env.RefuseInsertsAsync("Messages", "The database refused for the test.", "Subject", subject);
}

public sealed class InboundRoutingSqliteTests() : InboundRoutingTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class InboundRoutingPostgresTests(PostgresFixture pg) : InboundRoutingTests(new PostgresDatabaseFactory(pg));
