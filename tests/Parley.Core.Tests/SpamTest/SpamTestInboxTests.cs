using Microsoft.EntityFrameworkCore;
using Parley.Core.Aliases;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Inbound;
using Parley.Core.Records;
using Parley.Core.SpamTest;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.SpamTest;

/// <summary>
/// The spam-test inbox in routing: mail to a test address is kept for the test whatever it is — a reply to a thread, a
/// copy of an email Parley sent, a contact-thread catchall — and never posted to a chatter; an expired test keeps its
/// mail unscored and is not found; no alias can take a test-… name.
/// </summary>
public abstract class SpamTestInboxTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private Task<long> StoreAsync(string mime, string recipient) =>
        Env.ReceiveAsync(mime, "ana@customer.test", [recipient]);

    private Task<int> RouteAsync() => Env.With<InboundRouter, int>(r => r.RoutePendingAsync(100, default));

    private static string Message(string messageId, string headers = "") =>
        $"From: Ana Lima <ana@customer.test>\nTo: someone@mail.parley.test\nSubject: Test\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <{messageId}>\n{headers}\nHello\n";

    [Fact]
    public async Task Mail_to_a_test_address_is_kept_for_the_test_and_reaches_no_chatter_even_as_a_reply_or_a_copy_of_our_own()
    {
        await Env.SetAliasDomainAsync();
        await Env.With<InboundSettingsService>(s => s.SetAsync(new InboundSettings(Catchall: CatchallPolicy.ContactThread), default));
        var user = await Env.CreateUserAsync();
        var contact = await Env.CreateContactAsync();
        var record = new RecordRef("contact", contact.Id);
        var sent = await Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(record, new ComposeRequest(MessageKind.Email, "Your quote", "Here it is", null), user, default));
        var test = await Env.With<SpamTestService, SpamTestView>(s => s.CreateAsync(user.Id, null, null, default));
        Assert.Matches("^test-[a-z2-9]{12}@mail\\.parley\\.test$", test.Address);

        var plain = await StoreAsync(Message("plain@customer.test"), test.Address);
        var reply = await StoreAsync(Message("reply@customer.test", $"In-Reply-To: <{sent.MessageId}>\n"), test.Address);
        var ourOwn = await StoreAsync(Message(sent.MessageId!), test.Address);
        Assert.Equal(3, await RouteAsync());

        var rows = await Env.Db(db => db.Inbound.AsNoTracking().Where(i => new[] { plain, reply, ourOwn }.Contains(i.Id)).ToListAsync());
        Assert.All(rows, r =>
        {
            Assert.Equal(InboundStatus.Routed, r.Status);
            Assert.StartsWith($"Spam test {test.Test.LocalPart}@: kept for its report", r.Route);
            Assert.Null(r.ChatterMessageId);
        });
        Assert.Equal(0, await Env.Db(db => db.Messages.CountAsync(m => m.Direction == MessageDirection.In)));
        var kept = await Env.Db(db => db.Set<SpamTestMessage>().AsNoTracking().OrderBy(m => m.Id).ToListAsync());
        Assert.Equal([plain, reply, ourOwn], kept.Select(m => m.InboundMessageId));
        Assert.All(kept, m => Assert.Null(m.ScoredAt));

        // Waiting until scored; the RCPT-time question knows the live address, not a made-up one.
        var view = await Env.With<SpamTestService, SpamTestView>(s => s.GetAsync(test.Test.Token, default));
        Assert.Equal(SpamTestView.Waiting, view.Status);
        Assert.Equal(3, view.Messages.Count);
        Assert.True(await Env.With<SpamTestInbox, bool>(async m => await m.HasAddressAsync(test.Test.LocalPart, default)));
        Assert.False(await Env.With<SpamTestInbox, bool>(async m => await m.HasAddressAsync("test-abcdefghijkm", default)));
    }

    [Fact]
    public async Task An_expired_test_keeps_its_late_mail_unscored_and_is_no_longer_found()
    {
        await Env.SetAliasDomainAsync();
        await Env.With<InboundSettingsService>(s => s.SetAsync(new InboundSettings(Catchall: CatchallPolicy.ContactThread), default));
        var test = await Env.With<SpamTestService, SpamTestView>(s => s.CreateAsync(null, null, null, default));
        Env.Clock.Advance(TimeSpan.FromDays(8));

        var late = await StoreAsync(Message("late@customer.test"), test.Address);
        await RouteAsync();

        var row = await Env.Db(db => db.Inbound.AsNoTracking().SingleAsync(i => i.Id == late));
        Assert.Contains("has expired: kept, not scored", row.Route);
        Assert.Equal(0, await Env.Db(db => db.Set<SpamTestMessage>().CountAsync()));
        Assert.Equal(0, await Env.Db(db => db.Contacts.CountAsync()));
        await Assert.ThrowsAsync<NotFoundException>(() => Env.With<SpamTestService, SpamTestView>(s => s.GetAsync(test.Test.Token, default)));
        var history = await Env.With<SpamTestService, IReadOnlyList<SpamTestView>>(s => s.ListAsync(10, default));
        Assert.Equal(SpamTestView.Expired, Assert.Single(history).Status);
        Assert.False(await Env.With<SpamTestInbox, bool>(async m => await m.HasAddressAsync(test.Test.LocalPart, default)));
    }

    [Fact]
    public async Task No_alias_may_take_a_test_name_and_no_test_is_made_without_an_alias_domain()
    {
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<SpamTestService, SpamTestView>(s => s.CreateAsync(null, null, null, default)));
        Assert.Contains("alias domain", error.Message);
        await Env.SetAliasDomainAsync();
        var alias = await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<AliasService, MailAlias>(a => a.CreateAsync("test-sales", "contact", AliasContactPolicy.Everyone, default)));
        Assert.Contains("used by Parley itself", alias.Message);
    }
}

public sealed class SpamTestInboxSqliteTests() : SpamTestInboxTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class SpamTestInboxPostgresTests(PostgresFixture pg) : SpamTestInboxTests(new PostgresDatabaseFactory(pg));
