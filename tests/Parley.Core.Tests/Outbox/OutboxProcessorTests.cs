using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Chatter;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Tests.Fixtures;
using Parley.Smtp.Delivery;
using Parley.Testing;

namespace Parley.Core.Tests.Outbox;

public abstract class OutboxProcessorTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private static readonly TimeSpan[] Delays = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)];

    private async Task<ChatterMessage> QueueAsync(bool withServer = true, string email = "ana@customer.test")
    {
        var user = await Env.CreateUserAsync(email: "ada-" + Guid.NewGuid().ToString("N")[..8] + "@parley.test");
        var contact = await Env.CreateContactAsync("Customer", email);
        await Env.SetAliasDomainAsync();
        if (withServer && await Env.Db(db => db.OutgoingServers.CountAsync()) == 0)
        {
            await Env.With<OutgoingServerService, OutgoingServer>(s =>
                s.CreateAsync(new OutgoingServerInput("Relay", "smtp.relay.test", 587, "starttls", "parley", "s3cret"), default));
        }
        return await Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(
            new RecordRef("contact", contact.Id), new ComposeRequest(MessageKind.Email, "Quote", "Hello", null), user, default));
    }

    private static async Task<int> ProcessAsync(IServiceProvider node)
    {
        await using var scope = node.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OutboxProcessor>().ProcessDueAsync(default);
    }

    private Task<int> ProcessAsync() => ProcessAsync(Env.Services);

    private ServiceProvider NodeWith(Action<OutboxOptions> options) => Env.Build(Env.Transport, "node-a", [], options);

    private Task<OutboxItem> Row() => Env.Db(db => db.Outbox.AsNoTracking().SingleAsync());

    private Task<ChatterMessage> Message(long id) => Env.Db(db => db.Messages.AsNoTracking().SingleAsync(m => m.Id == id));

    /// <summary>The outbox row and its chatter message, after checking that both show <paramref name="state"/>.</summary>
    private async Task<(OutboxItem Row, ChatterMessage Message)> BothInStateAsync(long messageId, DeliveryState state)
    {
        var row = await Row();
        var message = await Message(messageId);
        Assert.Equal((state, state), (row.State, message.State));
        return (row, message);
    }

    [Fact]
    public async Task A_sent_email_is_marked_sent_with_the_servers_reply()
    {
        var queued = await QueueAsync();
        Env.Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(1, await ProcessAsync());

        var attempt = Assert.Single(Env.Transport.Attempts);
        // VERP: the envelope sender names this very outbox row, so a bounce can be matched back.
        Assert.Matches(@"^bounce\+\d+-[0-9a-f]{12}@mail\.parley\.test$", attempt.EnvelopeFrom);
        Assert.Equal(["ana@customer.test"], attempt.Recipients);
        Assert.NotNull(attempt.Relay);
        Assert.Equal("smtp.relay.test", attempt.Relay.Host);
        Assert.Equal(SmtpSecurity.StartTls, attempt.Relay.Security);
        Assert.Equal("s3cret", attempt.Relay.Password); // decrypted for the SMTP client, encrypted at rest
        Assert.NotEqual("s3cret", await Env.Db(db => db.OutgoingServers.Select(s => s.ProtectedPassword).SingleAsync()));
        var raw = await Env.RawMimeAsync(queued.RawMimeId);
        Assert.Equal(Load(raw).MessageId, Load(attempt.RawMime).MessageId);

        var (row, message) = await BothInStateAsync(queued.Id, DeliveryState.Sent);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(TestEnv.Start.AddSeconds(3), row.SentAt);
        Assert.Equal(250, row.LastCode);
        Assert.Null(row.LastError);
        Assert.Null(row.LeaseOwner);
        Assert.Null(row.LeaseUntil);
        Assert.Null(message.Error);
        Assert.Equal("250 2.0.0 Ok: queued as TEST", message.ServerReply);

        Env.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await ProcessAsync());
        Assert.Single(Env.Transport.Attempts);
    }

    [Fact]
    public async Task A_temporary_failure_defers_by_each_retry_delay_and_the_last_delay_repeats()
    {
        var queued = await QueueAsync();
        var node = NodeWith(o => o.RetryDelays = Delays);
        Env.Transport.Respond = _ => FakeDeliveryClient.Answer(DeliveryOutcome.TransientFailure, 451, "4.7.1 Try again later");

        Assert.Equal(1, await ProcessAsync(node));
        var (row, message) = await BothInStateAsync(queued.Id, DeliveryState.Deferred);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(TestEnv.Start + Delays[0], row.NextAttemptAt);
        Assert.Equal(451, row.LastCode);
        Assert.Equal("4.7.1 Try again later", row.LastError);
        Assert.Equal("4.7.1 Try again later", message.Error);
        Assert.Equal("451 4.7.1 Try again later", message.ServerReply);

        // Not due yet.
        Env.Clock.Advance(Delays[0] - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await ProcessAsync(node));
        Env.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await ProcessAsync(node));
        Assert.Equal(Env.Clock.GetUtcNow() + Delays[1], (await Row()).NextAttemptAt);

        Env.Clock.Advance(Delays[1]);
        Assert.Equal(1, await ProcessAsync(node));
        row = await Row();
        Assert.Equal(3, row.Attempts);
        Assert.Equal(Env.Clock.GetUtcNow() + Delays[1], row.NextAttemptAt);

        // Then the server accepts it.
        Env.Transport.Respond = _ => FakeDeliveryClient.Answer(DeliveryOutcome.Sent, 250, "2.0.0 Ok");
        Env.Clock.Advance(Delays[1]);
        Assert.Equal(1, await ProcessAsync(node));
        (_, message) = await BothInStateAsync(queued.Id, DeliveryState.Sent);
        Assert.Null(message.Error);
        Assert.Equal(4, Env.Transport.Attempts.Count);
    }

    [Fact]
    public async Task A_permanent_failure_fails_at_once_with_the_servers_words_and_is_not_retried()
    {
        var queued = await QueueAsync();
        Env.Transport.Respond = _ => FakeDeliveryClient.Answer(DeliveryOutcome.PermanentFailure, 550, "5.1.1 <ana@customer.test>: Recipient address rejected: User unknown");
        Assert.Equal(1, await ProcessAsync());

        var (row, message) = await BothInStateAsync(queued.Id, DeliveryState.Failed);
        Assert.Equal(550, row.LastCode);
        Assert.Contains("User unknown", message.Error);

        Env.Clock.Advance(TimeSpan.FromDays(5));
        Assert.Equal(0, await ProcessAsync());
        Assert.Single(Env.Transport.Attempts);
    }

    [Fact]
    public async Task Temporary_failures_give_up_after_the_configured_time()
    {
        var queued = await QueueAsync();
        var node = NodeWith(o =>
        {
            o.RetryDelays = Delays;
            o.GiveUpAfter = TimeSpan.FromMinutes(10);
        });
        Env.Transport.Respond = _ => FakeDeliveryClient.Answer(DeliveryOutcome.TransientFailure, 421, "4.3.2 Service shutting down");

        // Attempts at 0, 1, 6 and 11 minutes; the one at 11 is past the 10-minute limit.
        foreach (var wait in new[] { TimeSpan.Zero, Delays[0], Delays[1], Delays[1] })
        {
            Env.Clock.Advance(wait);
            Assert.Equal(1, await ProcessAsync(node));
        }
        var (row, message) = await BothInStateAsync(queued.Id, DeliveryState.Failed);
        Assert.Equal(4, row.Attempts);
        Assert.Contains("Gave up after 4 attempts", row.LastError);
        Assert.Contains("4.3.2 Service shutting down", row.LastError);
        Assert.Contains("Gave up", message.Error);

        Env.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await ProcessAsync(node));
    }

    [Fact]
    public async Task Without_an_outgoing_server_the_email_goes_directly_from_the_notifications_address_and_says_why()
    {
        var queued = await QueueAsync(withServer: false);
        Assert.Equal(1, await ProcessAsync());
        var attempt = Assert.Single(Env.Transport.Attempts);
        Assert.Null(attempt.Relay); // direct to the recipient's MX
        // The author's domain has no DKIM keys here, so Parley may not send as the author: From is its own.
        Assert.Equal("notifications@mail.parley.test", Assert.Single(Load(attempt.RawMime).From.Mailboxes).Address);
        var message = await Message(queued.Id);
        Assert.Equal(DeliveryState.Sent, message.State);
        Assert.Contains("From rewritten to notifications@mail.parley.test", message.Route);
        Assert.Contains("Delivered directly", message.Route);
    }

    [Fact]
    public async Task A_row_leased_by_another_node_is_left_alone_until_the_lease_expires()
    {
        await QueueAsync();
        var until = Env.Clock.GetUtcNow().AddMinutes(5);
        await Env.Db(db => db.Outbox.ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseOwner, "node-z").SetProperty(o => o.LeaseUntil, until)));

        Assert.Equal(0, await ProcessAsync());
        Assert.Empty(Env.Transport.Attempts);

        Env.Clock.Advance(TimeSpan.FromMinutes(6)); // node-z crashed: its lease runs out
        Assert.Equal(1, await ProcessAsync());
        Assert.Equal(DeliveryState.Sent, (await Row()).State);
    }

    [Fact]
    public async Task A_node_that_saw_a_row_as_due_does_not_send_it_after_another_node_sent_it()
    {
        await QueueAsync();
        // Node B reads the due rows, then (before its claiming UPDATE runs) node A claims,
        // sends and records the same row. B's claim must not win the row back.
        var pause = new PauseBeforeCommand("UPDATE \"Outbox\"");
        var nodeB = Env.Build(Env.Transport, "node-b", [pause]);
        pause.Before = async () => Assert.Equal(1, await ProcessAsync(Env.Services));

        await ProcessAsync(nodeB);

        Assert.Single(Env.Transport.Attempts);
        var row = await Row();
        Assert.Equal(DeliveryState.Sent, row.State);
        Assert.Equal(1, row.Attempts);
    }

    [Fact]
    public async Task Two_nodes_racing_on_one_queue_send_every_email_exactly_once()
    {
        for (var i = 0; i < 24; i++)
        {
            await QueueAsync(email: $"c{i}@customer.test");
        }

        Env.Transport.Delay = TimeSpan.FromMilliseconds(1);
        var nodeA = Env.Build(Env.Transport, "node-a", [], o => o.BatchSize = 4);
        var nodeB = Env.Build(Env.Transport, "node-b", [], o => o.BatchSize = 4);

        async Task Drain(IServiceProvider node)
        {
            for (var rounds = 0; rounds < 100 && await ProcessAsync(node) > 0; rounds++) { }
        }
        await Task.WhenAll(Task.Run(() => Drain(nodeA)), Task.Run(() => Drain(nodeB)));
        await Drain(nodeA); // whatever a lost race left due

        var perRecipient = Env.Transport.Attempts.GroupBy(a => a.Recipients.Single()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(24, perRecipient.Count);
        Assert.All(perRecipient, kv => Assert.True(kv.Value == 1, $"{kv.Key} was sent {kv.Value} times"));
        Assert.Equal(24, await Env.Db(db => db.Outbox.CountAsync(o => o.State == DeliveryState.Sent)));
    }

    private static MimeKit.MimeMessage Load(byte[] raw) => MimeKit.MimeMessage.Load(new MemoryStream(raw));
}

public sealed class OutboxProcessorSqliteTests() : OutboxProcessorTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class OutboxProcessorPostgresTests(PostgresFixture pg) : OutboxProcessorTests(new PostgresDatabaseFactory(pg));
