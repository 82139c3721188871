using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Identity;
using Parley.Core.Records;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Chatter;

public abstract class ChatterServiceTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private Task<ChatterMessage> Post(RecordRef record, ComposeRequest request, ActingUser user) =>
        Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(record, request, user, default));

    private async Task<(ActingUser User, Contact Contact, RecordRef Record)> ArrangeAsync(bool aliasDomain = true)
    {
        var user = await Env.CreateUserAsync();
        var contact = await Env.CreateContactAsync();
        if (aliasDomain)
        {
            await Env.SetAliasDomainAsync();
        }

        return (user, contact, new RecordRef(RecordDirectory.ContactType, contact.Id));
    }

    [Fact]
    public async Task A_note_is_stored_in_the_timeline_and_never_queued()
    {
        var (user, _, record) = await ArrangeAsync();
        var note = await Post(record, new ComposeRequest(MessageKind.Note, "ignored", "  Called her, she wants a quote.  ", null), user);

        var stored = await Env.Db(db => db.Messages.AsNoTracking().SingleAsync(m => m.Id == note.Id));
        Assert.Equal(MessageKind.Note, stored.Kind);
        Assert.Null(stored.Direction);
        Assert.Null(stored.State);
        Assert.Null(stored.MessageId);
        Assert.Equal("Called her, she wants a quote.", stored.BodyText);
        Assert.Equal(user.Id, stored.AuthorUserId);
        Assert.Equal(0, await Env.Db(db => db.Outbox.CountAsync()));
        Assert.Equal(0, await Env.Db(db => db.RawMimes.CountAsync()));
    }

    [Fact]
    public async Task An_empty_note_is_refused()
    {
        var (user, _, record) = await ArrangeAsync();
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Post(record, new ComposeRequest(MessageKind.Note, null, " \r\n ", null), user));
        Assert.Equal(["body"], e.Errors.Keys.ToArray());
        Assert.Equal(0, await Env.Db(db => db.Messages.CountAsync()));
    }

    [Fact]
    public async Task An_email_writes_one_message_one_outbox_row_and_its_raw_mime()
    {
        var (user, contact, record) = await ArrangeAsync();
        var email = await Post(record, new ComposeRequest(MessageKind.Email, "Your quote", "Hello Ana,\n\nhere it is.", null), user);

        var message = await Env.Db(db => db.Messages.AsNoTracking().SingleAsync());
        Assert.Equal(email.Id, message.Id);
        Assert.Equal(MessageKind.Email, message.Kind);
        Assert.Equal(MessageDirection.Out, message.Direction);
        Assert.Equal(DeliveryState.Queued, message.State);
        Assert.Equal(contact.Email, message.To);
        Assert.Equal("Your quote", message.Subject);
        Assert.NotNull(message.MessageId);
        Assert.EndsWith("@mail.parley.test", message.MessageId);

        var outbox = await Env.Db(db => db.Outbox.AsNoTracking().SingleAsync());
        Assert.Equal(message.Id, outbox.ChatterMessageId);
        Assert.Equal(contact.Email, outbox.Recipient);
        Assert.Equal(DeliveryState.Queued, outbox.State);
        Assert.Equal(TestEnv.Start, outbox.NextAttemptAt);

        Assert.NotNull(message.RawMimeId);
        var raw = await Env.RawMimeAsync(message.RawMimeId);
        var mime = MimeText.Parse(raw);
        Assert.Equal(message.MessageId, mime.MessageId);
        Assert.Equal(contact.Email, mime.To.Mailboxes.Single().Address);
        Assert.Equal("ada@parley.test", mime.From.Mailboxes.Single().Address);
        Assert.Equal("Your quote", mime.Subject);
        Assert.Contains("here it is.", mime.TextBody);
        Assert.NotNull(mime.HtmlBody);

        // Reply-To is the per-thread reply address, on the alias domain, and it routes back to this record.
        var replyTo = mime.ReplyTo.Mailboxes.Single().Address;
        Assert.EndsWith("@mail.parley.test", replyTo);
        var parsed = (await Env.Services.GetRequiredService<ReplyAddressProvider>().GetAsync(default)).Parse(replyTo);
        Assert.Equal(record, parsed);
    }

    [Fact]
    public async Task Queueing_an_email_is_all_or_nothing()
    {
        var (user, _, record) = await ArrangeAsync();
        // The database fails while writing the outbox row: the message must not stay behind as
        // "queued" with nothing that will ever send it.
        var crash = new FailingCommand("INSERT INTO \"Outbox\"");
        var node = Env.Build(Env.Transport, "node-a", [crash]);
        await using (var scope = node.CreateAsyncScope())
        {
            await Assert.ThrowsAnyAsync<Exception>(() => scope.ServiceProvider.GetRequiredService<ChatterService>()
                .PostAsync(record, new ComposeRequest(MessageKind.Email, "Quote", "Body", null), user, default));
        }
        Assert.Equal(1, crash.Failures);
        Assert.Equal(0, await Env.Db(db => db.Outbox.CountAsync()));
        Assert.Equal(0, await Env.Db(db => db.Messages.CountAsync()));
        Assert.Equal(0, await Env.Db(db => db.RawMimes.CountAsync()));
    }

    [Fact]
    public async Task A_subject_with_CR_LF_cannot_inject_headers()
    {
        var (user, _, record) = await ArrangeAsync();
        var email = await Post(record, new ComposeRequest(MessageKind.Email, "Hello\r\nBcc: victim@else.test\r\nX-Evil: 1", "Body", null), user);

        var raw = await Env.RawMimeAsync(email.RawMimeId);
        var headers = MimeText.HeaderLines(raw);
        Assert.DoesNotContain(headers, h => h.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(headers, h => h.StartsWith("X-Evil:", StringComparison.OrdinalIgnoreCase));
        Assert.Single(headers, h => h.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase));
        var mime = MimeText.Parse(raw);
        Assert.Empty(mime.Bcc);
        Assert.Equal("Hello Bcc: victim@else.test X-Evil: 1", mime.Subject);
    }

    [Fact]
    public async Task An_email_without_subject_or_body_reports_both_and_writes_nothing()
    {
        var (user, _, record) = await ArrangeAsync();
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Post(record, new ComposeRequest(MessageKind.Email, " ", "", null), user));
        Assert.Equal(["body", "subject"], e.Errors.Keys.Order().ToArray());
        Assert.Equal(0, await Env.Db(db => db.Messages.CountAsync()));
    }

    [Fact]
    public async Task An_email_needs_the_alias_domain_first()
    {
        var (user, _, record) = await ArrangeAsync(aliasDomain: false);
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Post(record, new ComposeRequest(MessageKind.Email, "S", "B", null), user));
        Assert.Equal(["aliasDomain"], e.Errors.Keys.ToArray());
        Assert.Equal(0, await Env.Db(db => db.Messages.CountAsync()));
    }

    [Fact]
    public async Task Unknown_records_and_record_types_are_not_found()
    {
        var (user, _, _) = await ArrangeAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => Post(new RecordRef("contact", 999), new ComposeRequest(MessageKind.Note, null, "x", null), user));
        await Assert.ThrowsAsync<NotFoundException>(() => Post(new RecordRef("ticket", 1), new ComposeRequest(MessageKind.Note, null, "x", null), user));
    }

    [Fact]
    public async Task The_timeline_is_newest_first_and_only_this_records()
    {
        var (user, _, record) = await ArrangeAsync();
        var other = await Env.CreateContactAsync("Bob", "bob@customer.test");
        await Post(new RecordRef("contact", other.Id), new ComposeRequest(MessageKind.Note, null, "about Bob", null), user);
        var first = await Post(record, new ComposeRequest(MessageKind.Note, null, "first", null), user);
        Env.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await Post(record, new ComposeRequest(MessageKind.Email, "second", "B", null), user);
        Env.Clock.Advance(TimeSpan.FromMinutes(1));
        var third = await Post(record, new ComposeRequest(MessageKind.Note, null, "third", null), user);

        var list = await Env.With<ChatterService, List<ChatterMessage>>(c => c.ListAsync(record, null, 100, default));
        Assert.Equal([third.Id, second.Id, first.Id], list.Select(m => m.Id).ToArray());
        var page = await Env.With<ChatterService, List<ChatterMessage>>(c => c.ListAsync(record, third.Id, 1, default));
        Assert.Equal([second.Id], page.Select(m => m.Id).ToArray());
    }

    [Fact]
    public async Task Every_email_gets_its_own_message_id()
    {
        var (user, _, record) = await ArrangeAsync();
        var a = await Post(record, new ComposeRequest(MessageKind.Email, "A", "A", null), user);
        var b = await Post(record, new ComposeRequest(MessageKind.Email, "B", "B", null), user);
        Assert.NotEqual(a.MessageId, b.MessageId);
        Assert.Equal(2, await Env.Db(db => db.Outbox.CountAsync()));
    }

    [Fact]
    public async Task An_html_body_gets_a_plain_text_alternative()
    {
        var (user, _, record) = await ArrangeAsync();
        var email = await Post(record, new ComposeRequest(MessageKind.Email, "Hi", "<p>Hello <b>Ana</b></p><script>x()</script>", null), user);
        var raw = await Env.RawMimeAsync(email.RawMimeId);
        var mime = MimeText.Parse(raw);
        Assert.Contains("<b>Ana</b>", mime.HtmlBody);
        Assert.Equal("Hello Ana", mime.TextBody?.Trim());
        Assert.IsType<MultipartAlternative>(mime.Body);
    }
}

public sealed class ChatterServiceSqliteTests() : ChatterServiceTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class ChatterServicePostgresTests(PostgresFixture pg) : ChatterServiceTests(new PostgresDatabaseFactory(pg));
