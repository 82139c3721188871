using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Suppression;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Inbound.Bounces;

/// <summary>
/// Bounces sent to the plain bounce address, with no VERP token naming the outbox row: the email is found by the
/// DSN's original Message-ID and recipient, whatever case the remote server writes the address in.
/// </summary>
public abstract class BounceWithoutVerpTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private const string Domain = "mail.parley.test";
    private const string PlainBounce = "bounce@" + Domain;

    public static TheoryData<string, bool, string, string, string> Samples()
    {
        var data = new TheoryData<string, bool, string, string, string>();
        foreach (var rcpt in new[] { "ana@customer.test", "Ana@Customer.TEST" })
        {
            data.Add("postfix", true, rcpt, "5.1.1", "User unknown");
            data.Add("exim", true, rcpt, "5.0.0", "No such user here");
            data.Add("gmail", true, rcpt, "5.1.1", "does not exist");
            data.Add("exchange", true, rcpt, "5.1.10", "RecipientNotFound");
            data.Add("qmail-text", false, rcpt, "5.1.1", "Mailbox does not exist");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task A_bounce_to_the_plain_address_marks_the_email_it_names_and_suppresses_the_address(
        string mta, bool namesMessageId, string rcpt, string status, string words)
    {
        var (record, user) = await ContactAsync("ana@customer.test");
        var (target, targetRow) = await SendAsync(record, user, "Your quote");
        // A later email to the same address: only the original Message-ID can tell the two apart.
        var (_, laterRow) = namesMessageId ? await SendAsync(record, user, "A reminder") : (null!, 0L);
        var (bea, _) = await ContactAsync("bea@customer.test", user);
        var (_, beaRow) = await SendAsync(bea, user, "Your quote");

        var inbound = await RouteSampleAsync(mta, rcpt, target.MessageId!);

        Assert.Equal(InboundStatus.Bounce, inbound.Status);
        Assert.Contains("Bounce for a sent email", inbound.Route);
        var row = await RowAsync(targetRow);
        Assert.Equal(DeliveryState.Bounced, row.State);
        Assert.Equal(550, row.LastCode);
        Assert.Contains(status, row.LastError);
        Assert.Contains(words, row.LastError);
        var message = await Env.Db(db => db.Messages.AsNoTracking().SingleAsync(m => m.Id == target.Id));
        Assert.Equal(DeliveryState.Bounced, message.State);
        Assert.Contains(status, message.Error);
        Assert.Contains(words, message.Error);
        if (namesMessageId)
        {
            Assert.Equal(DeliveryState.Sent, (await RowAsync(laterRow)).State);
        }

        Assert.Equal(DeliveryState.Sent, (await RowAsync(beaRow)).State);

        var counter = await Env.Db(db => db.BounceCounters.AsNoTracking().SingleAsync());
        Assert.Equal(("ana@customer.test", 1, 0), (counter.Address, counter.HardBounces, counter.SoftBounces));
        var suppressed = await Env.With<SuppressionService, SuppressedAddress?>(s => s.FindAsync("ana@customer.test", default));
        Assert.Equal(SuppressionReason.HardBounce, suppressed?.Reason);
    }

    [Fact]
    public async Task A_soft_bounce_in_mixed_case_is_counted_but_does_not_suppress()
    {
        var (record, user) = await ContactAsync("ana@customer.test");
        var (_, rowId) = await SendAsync(record, user, "Your quote");

        await RouteSampleAsync("postfix-delayed", "Ana@Customer.TEST", "unused@" + Domain);

        var row = await RowAsync(rowId);
        Assert.Equal(DeliveryState.Sent, row.State);
        Assert.Equal("Delayed (4.2.2): 452 4.2.2 Mailbox full", row.LastError);
        var counter = await Env.Db(db => db.BounceCounters.AsNoTracking().SingleAsync());
        Assert.Equal(("ana@customer.test", 0, 1), (counter.Address, counter.HardBounces, counter.SoftBounces));
        Assert.Equal(0, await Env.Db(db => db.Suppressions.CountAsync()));
    }

    [Fact]
    public async Task Hard_bounces_in_different_cases_add_up_to_the_threshold()
    {
        var (record, user) = await ContactAsync("ana@customer.test");
        var (_, rowId) = await SendAsync(record, user, "Your quote");
        await Env.With<InboundSettingsService>(s => s.SetAsync(new InboundSettings(HardBounceThreshold: 2), default));

        await RouteSampleAsync("qmail-text", "Ana@Customer.TEST", "unused@" + Domain);
        Assert.Equal(DeliveryState.Bounced, (await RowAsync(rowId)).State);
        Assert.Equal(0, await Env.Db(db => db.Suppressions.CountAsync()));

        // The email is already marked bounced; this one only counts, as the address was mailed.
        await RouteSampleAsync("qmail-text", "ANA@CUSTOMER.test", "unused@" + Domain);
        var counter = await Env.Db(db => db.BounceCounters.AsNoTracking().SingleAsync());
        Assert.Equal(("ana@customer.test", 2), (counter.Address, counter.HardBounces));
        var suppressed = await Env.Db(db => db.Suppressions.AsNoTracking().SingleAsync());
        Assert.Equal(("ana@customer.test", SuppressionReason.HardBounce), (suppressed.Address, suppressed.Reason));
    }

    [Fact]
    public async Task A_bounce_from_where_the_mail_was_forwarded_counts_against_the_address_Parley_sent_to()
    {
        var (record, user) = await ContactAsync("ana@customer.test");
        var (sent, rowId) = await SendAsync(record, user, "Your quote");

        // The customer's server forwarded it; the forward target's server bounced and reports its own address.
        await RouteSampleAsync("postfix", "ana@old-job.test", sent.MessageId!);

        Assert.Equal(DeliveryState.Bounced, (await RowAsync(rowId)).State);
        var counter = await Env.Db(db => db.BounceCounters.AsNoTracking().SingleAsync());
        Assert.Equal(("ana@customer.test", 1), (counter.Address, counter.HardBounces));
        var suppressed = await Env.Db(db => db.Suppressions.AsNoTracking().SingleAsync());
        Assert.Equal("ana@customer.test", suppressed.Address);
    }

    [Fact]
    public async Task A_success_notice_neither_marks_the_email_nor_counts_as_a_bounce()
    {
        var (record, user) = await ContactAsync("ana@customer.test");
        var (sent, rowId) = await SendAsync(record, user, "Your quote");

        var inbound = await RouteSampleAsync("postfix-delivered", "Ana@Customer.TEST", sent.MessageId!);

        Assert.Equal(InboundStatus.Bounce, inbound.Status); // a delivery report, kept with the reports, never posted
        Assert.Contains("delivered", inbound.Route);
        var row = await RowAsync(rowId);
        Assert.Equal(DeliveryState.Sent, row.State);
        Assert.Null(row.LastError);
        Assert.Equal(0, await Env.Db(db => db.BounceCounters.CountAsync()));
        Assert.Equal(0, await Env.Db(db => db.Suppressions.CountAsync()));
    }

    [Theory]
    [InlineData("qmail-text", "stranger@customer.test")] // An address Parley never mailed.
    [InlineData("bare-no-final-recipient", "ana@customer.test")] // No recipient, no original: nothing to go on.
    public async Task A_bounce_Parley_cannot_trace_changes_nothing(string mta, string rcpt)
    {
        var (record, user) = await ContactAsync("ana@customer.test");
        var (sent, rowId) = await SendAsync(record, user, "Your quote");

        var inbound = await RouteSampleAsync(mta, rcpt, sent.MessageId!);

        Assert.Equal(InboundStatus.Bounce, inbound.Status);
        Assert.Contains("an email Parley cannot find", inbound.Route);
        Assert.Equal(DeliveryState.Sent, (await RowAsync(rowId)).State);
        Assert.Equal(0, await Env.Db(db => db.BounceCounters.CountAsync()));
        Assert.Equal(0, await Env.Db(db => db.Suppressions.CountAsync()));
    }

    private async Task<(RecordRef Record, Identity.ActingUser User)> ContactAsync(string email, Identity.ActingUser? user = null)
    {
        if (user is null)
        {
            user = await Env.CreateUserAsync();
            await Env.SetAliasDomainAsync(Domain);
        }
        var contact = await Env.CreateContactAsync(email.Split('@')[0], email, null);
        return (new RecordRef("contact", contact.Id), user);
    }

    /// <summary>Posts an email and marks its outbox row sent, as the delivery worker would.</summary>
    private async Task<(ChatterMessage Sent, long RowId)> SendAsync(RecordRef record, Identity.ActingUser user, string subject)
    {
        var sent = await Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(record, new ComposeRequest(MessageKind.Email, subject, "Here it is", null), user, default));
        var rowId = await Env.Db(db => db.Outbox.Where(o => o.ChatterMessageId == sent.Id).Select(o => o.Id).SingleAsync());
        await Env.Db(db => db.Outbox.Where(o => o.Id == rowId).ExecuteUpdateAsync(s => s.SetProperty(o => o.State, DeliveryState.Sent)));
        return (sent, rowId);
    }

    private Task<OutboxItem> RowAsync(long id) => Env.Db(db => db.Outbox.AsNoTracking().SingleAsync(o => o.Id == id));

    private static string Sample(string name, string rcpt, string messageId) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Inbound", "Dsn", name + ".eml"))
            .Replace("{VERP}", PlainBounce).Replace("{RCPT}", rcpt).Replace("{MSGID}", messageId);

    private Task<long> StoreAsync(string mime) =>
        Env.ReceiveAsync(mime, "", [PlainBounce], helo: "mx.customer.test");

    private Task<int> RouteAsync() => Env.With<InboundRouter, int>(r => r.RoutePendingAsync(100, default));

    /// <summary>Stores DSN sample <paramref name="name"/> as received on the plain bounce address, routes it, and returns its inbound row.</summary>
    private async Task<InboundMessage> RouteSampleAsync(string name, string rcpt, string messageId)
    {
        var id = await StoreAsync(Sample(name, rcpt, messageId));
        await RouteAsync();
        return await Env.Db(db => db.Inbound.AsNoTracking().SingleAsync(i => i.Id == id));
    }
}

public sealed class BounceWithoutVerpSqliteTests() : BounceWithoutVerpTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class BounceWithoutVerpPostgresTests(PostgresFixture pg) : BounceWithoutVerpTests(new PostgresDatabaseFactory(pg));
