using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Identity;
using Parley.Core.Records;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;
using static Parley.Core.Tests.Records.RecordFixtures;

namespace Parley.Core.Tests.Records;

public abstract class RecordServiceTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private async Task<ActingUser> ArrangeAsync()
    {
        var user = await Env.CreateUserAsync();
        await Env.With<RecordTypeService, RecordType>(s => s.CreateAsync(Quotation(), default));
        return user;
    }

    private Task<RecordSnapshot> CreateAsync(ActingUser user, RecordInput input, string type = "quotation") =>
        Env.With<RecordService, RecordSnapshot>(s => s.CreateAsync(type, input, user, default));

    private Task<RecordSnapshot> UpdateAsync(ActingUser user, long id, RecordInput input) =>
        Env.With<RecordService, RecordSnapshot>(s => s.UpdateAsync("quotation", id, input, user, default));

    private Task<List<ChatterMessage>> EventsAsync(long id) =>
        Env.Db(db => db.Messages.AsNoTracking().Where(m => m.RecordType == "quotation" && m.RecordId == id && m.Kind == MessageKind.Event)
            .OrderBy(m => m.Id).ToListAsync());

    [Fact]
    public async Task A_record_starts_in_the_first_stage_with_the_next_reference_of_its_type()
    {
        var user = await ArrangeAsync();
        await Env.With<RecordTypeService, RecordType>(s => s.CreateAsync(Quotation("ticket", "T") with { Name = "Tickets", SingularLabel = "Ticket" }, default));
        var contact = await Env.CreateContactAsync();

        var first = await CreateAsync(user, new RecordInput(null, Fields(("subject", "Website redesign"), ("customer", contact.Id), ("amount", 1200.5),
            ("valid_until", "2026-12-31"), ("signed", false), ("priority", "high"))));
        var second = await CreateAsync(user, new RecordInput("sent", Fields(("subject", "Hosting"))));
        var ticket = await CreateAsync(user, new RecordInput(null, Fields(("subject", "Printer"))), "ticket");

        Assert.Equal("Q-00001", first.Record.Reference);
        Assert.Equal("Q-00002", second.Record.Reference);
        Assert.Equal("T00001", ticket.Record.Reference);
        Assert.Equal("draft", first.Stage.Key);
        Assert.Equal("sent", second.Stage.Key);
        Assert.Equal("Q-00001 Website redesign", first.Title);
        var read = await Env.With<RecordReader, RecordSnapshot>(r => r.GetAsync("quotation", first.Record.Id, default));
        var fields = read.ApiFields();
        Assert.Equal(1200.50m, fields["amount"]);
        Assert.Equal(contact.Id, fields["customer"]);
        Assert.Equal("2026-12-31", fields["valid_until"]);
        Assert.Equal(false, fields["signed"]);
        Assert.Equal("High", fields["priority"]);
        Assert.Null(fields["notes"]);
        Assert.Equal("1,200.50 EUR", read.Display(read.Type.ActiveField("amount")!));
        Assert.Equal(("Ana Lima", "ana@customer.test"), read.Customer);
        var created = Assert.Single(await EventsAsync(first.Record.Id));
        Assert.Equal("Quotation Q-00001 created.", created.BodyText);
        Assert.Equal(user.Id, created.AuthorUserId);
    }

    [Fact]
    public async Task Bad_values_are_all_named_by_field_and_nothing_is_written()
    {
        var user = await ArrangeAsync();
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync(user, new RecordInput("shipped",
            Fields(("colour", "red"), ("amount", "a lot"), ("customer", 4242), ("valid_until", "31/12/2026"), ("signed", "maybe"), ("priority", "Urgent")),
            SetsAssignee: true, Assignee: 999)));

        Assert.Contains("not a stage of Quotations", e.Errors["stage"][0]);
        Assert.Contains("no field \"colour\"", e.Errors["fields.colour"][0]);
        Assert.Contains("takes a number", e.Errors["fields.amount"][0]);
        Assert.Contains("contact 4242 does not exist", e.Errors["fields.customer"][0]);
        Assert.Contains("2026-12-31", e.Errors["fields.valid_until"][0]);
        Assert.Contains("true or false", e.Errors["fields.signed"][0]);
        Assert.Contains("Low, High", e.Errors["fields.priority"][0]);
        Assert.Contains("Subject is required", e.Errors["fields.subject"][0]);
        Assert.Contains("User 999", e.Errors["assignee"][0]);
        Assert.Equal(0, await Env.Db(db => db.Records.CountAsync()));
        Assert.Equal(0, await Env.Db(db => db.RecordValues.CountAsync()));
        Assert.Equal(0, await Env.Db(db => db.Messages.CountAsync()));
        Assert.Equal(0, await Env.Db(db => db.RecordTypes.Select(t => t.LastNumber).SingleAsync()));
    }

    [Fact]
    public async Task Tracked_changes_write_one_event_each_with_old_and_new_value_and_who()
    {
        var user = await ArrangeAsync();
        var bo = await Env.CreateUserAsync("Bo Chen", "bo@parley.test");
        var record = await CreateAsync(user, new RecordInput(null, Fields(("subject", "Website"), ("amount", 100))));

        var updated = await UpdateAsync(bo, record.Record.Id, new RecordInput("sent", Fields(("amount", 120), ("notes", "untracked change")),
            SetsAssignee: true, Assignee: bo.Id, Version: 1));

        Assert.Equal(2, updated.Record.Version);
        var events = (await EventsAsync(record.Record.Id)).Skip(1).ToList();
        Assert.Equal(["Stage: Draft → Sent", "Assignee: (empty) → Bo Chen", "Amount: 100.00 EUR → 120.00 EUR"], events.Select(e => e.BodyText));
        Assert.All(events, e => Assert.Equal("Bo Chen", e.AuthorName));
        Assert.All(events, e => Assert.Equal(bo.Id, e.AuthorUserId));

        // Nothing that changes nothing writes nothing.
        var same = await UpdateAsync(bo, record.Record.Id, new RecordInput("sent", Fields(("amount", "120.00"))));
        Assert.Equal(2, same.Record.Version);
        Assert.Equal(4, (await EventsAsync(record.Record.Id)).Count);
    }

    [Fact]
    public async Task An_edit_of_an_older_version_is_refused_with_what_changed_and_writes_nothing()
    {
        var user = await ArrangeAsync();
        var record = await CreateAsync(user, new RecordInput(null, Fields(("subject", "Website"), ("amount", 100))));
        await UpdateAsync(user, record.Record.Id, new RecordInput("sent", Fields(("amount", 150)), Version: 1));

        var e = await Assert.ThrowsAsync<ConflictException>(() => UpdateAsync(user, record.Record.Id,
            new RecordInput(null, Fields(("subject", "Stale edit")), Version: 1)));

        Assert.Equal(["stage", "fields.amount"], (List<string>)e.Details["changed"]!);
        Assert.Equal(2, e.Details["version"]);
        Assert.Contains("Ada Admin", e.Message);
        var read = await Env.With<RecordReader, RecordSnapshot>(r => r.GetAsync("quotation", record.Record.Id, default));
        Assert.Equal("Website", read.ApiFields()["subject"]);
        Assert.Equal(2, read.Record.Version);
    }

    [Fact]
    public async Task A_required_field_cannot_be_emptied()
    {
        var user = await ArrangeAsync();
        var record = await CreateAsync(user, new RecordInput(null, Fields(("subject", "Website"))));
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => UpdateAsync(user, record.Record.Id, new RecordInput(null, Fields(("subject", null)))));
        Assert.True(e.Errors.ContainsKey("fields.subject"));
    }

    [Fact]
    public async Task Lists_filter_by_stage_customer_and_field_search_and_sort_by_a_field()
    {
        var user = await ArrangeAsync();
        var ana = await Env.CreateContactAsync();
        var bo = await Env.CreateContactAsync("Bo Chen", "bo@customer.test", null);
        await CreateAsync(user, new RecordInput(null, Fields(("subject", "Website redesign"), ("customer", ana.Id), ("amount", 900), ("priority", "High"))));
        await CreateAsync(user, new RecordInput("sent", Fields(("subject", "Hosting plan"), ("customer", ana.Id), ("amount", 50), ("priority", "Low"))));
        await CreateAsync(user, new RecordInput("sent", Fields(("subject", "Logo"), ("customer", bo.Id), ("amount", 300), ("priority", "High"))));

        async Task<List<string>> List(RecordListQuery query) =>
            (await Env.With<RecordReader, (List<RecordSnapshot> Page, int Total)>(r => r.ListAsync("quotation", query, default))).Page
                .Select(r => r.Record.Reference).ToList();

        Assert.Equal(["Q-00003", "Q-00002", "Q-00001"], await List(new RecordListQuery()));
        Assert.Equal(["Q-00003", "Q-00002"], await List(new RecordListQuery(Stage: "sent")));
        Assert.Equal(["Q-00002", "Q-00001"], await List(new RecordListQuery(Filters: new Dictionary<string, string> { ["customer"] = ana.Id.ToString() })));
        Assert.Equal(["Q-00003", "Q-00001"], await List(new RecordListQuery(Filters: new Dictionary<string, string> { ["priority"] = "high" })));
        Assert.Equal(["Q-00001", "Q-00003", "Q-00002"], await List(new RecordListQuery(Sort: "-amount")));
        Assert.Equal(["Q-00002", "Q-00003", "Q-00001"], await List(new RecordListQuery(Sort: "amount")));
        Assert.Equal(["Q-00002", "Q-00003", "Q-00001"], await List(new RecordListQuery(Sort: "subject", Take: 3)));
        Assert.Equal(["Q-00002"], await List(new RecordListQuery(Q: "HOSTING")));
        Assert.Equal(["Q-00003"], await List(new RecordListQuery(Q: "q-00003")));
        Assert.Equal(["Q-00002"], await List(new RecordListQuery(Sort: "amount", Skip: 0, Take: 1)));
        var total = (await Env.With<RecordReader, (List<RecordSnapshot> Page, int Total)>(r => r.ListAsync("quotation", new RecordListQuery(Take: 1), default))).Total;
        Assert.Equal(3, total);

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => List(new RecordListQuery(Stage: "nope", Sort: "colour",
            Filters: new Dictionary<string, string> { ["colour"] = "red" })));
        Assert.Equal(["colour", "stage"], e.Errors.Keys.Order());
    }

    [Fact]
    public async Task An_email_from_a_record_goes_to_its_customer_and_its_reply_address_names_the_record()
    {
        var user = await ArrangeAsync();
        await Env.SetAliasDomainAsync();
        var ana = await Env.CreateContactAsync();
        var record = await CreateAsync(user, new RecordInput(null, Fields(("subject", "Website"), ("customer", ana.Id))));
        var reference = new RecordRef("quotation", record.Record.Id);

        var sent = await Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(reference,
            new ComposeRequest(MessageKind.Email, "Your quotation", "Hello", null), user, default));

        Assert.Equal("ana@customer.test", sent.To);
        var outbox = await Env.Db(db => db.Outbox.AsNoTracking().SingleAsync());
        Assert.Equal("ana@customer.test", outbox.Recipient);
        var raw = await Env.RawMimeAsync(sent.RawMimeId);
        var mime = MimeText.Parse(raw);
        Assert.Equal("Ana Lima", mime.To.Mailboxes.Single().Name);
        var replyTo = mime.ReplyTo.Mailboxes.Single().Address;
        Assert.StartsWith($"reply+quotation-{record.Record.Id}-", replyTo);
        var parsed = (await Env.With<ReplyAddressProvider, ReplyAddress>(p => p.GetAsync(default))).Parse(replyTo);
        Assert.Equal(reference, parsed);
        Assert.True(await Env.With<RecordDirectory, bool>(d => d.ExistsAsync(reference, default)));
        Assert.False(await Env.With<RecordDirectory, bool>(d => d.ExistsAsync(new RecordRef("ticket", record.Record.Id), default)));
    }

    [Fact]
    public async Task A_record_without_a_customer_cannot_be_emailed()
    {
        var user = await ArrangeAsync();
        await Env.SetAliasDomainAsync();
        var record = await CreateAsync(user, new RecordInput(null, Fields(("subject", "Website"))));
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(
            new RecordRef("quotation", record.Record.Id), new ComposeRequest(MessageKind.Email, "Hi", "Hello", null), user, default)));
        Assert.Contains("no email address", e.Errors["record"][0]);
    }

    [Fact]
    public async Task A_template_for_a_record_type_renders_its_fields_and_its_customer()
    {
        var user = await ArrangeAsync();
        var ana = await Env.CreateContactAsync();
        var record = await CreateAsync(user, new RecordInput(null, Fields(("subject", "Website"), ("customer", ana.Id), ("amount", 1200))));
        var template = await Env.With<Parley.Core.Templates.TemplateService, Parley.Core.Templates.MailTemplate>(t => t.CreateAsync(
            new Parley.Core.Templates.TemplateInput("Quotation sent", "quotation", "Your quotation {{ record.reference }}",
                "Dear {{ record.customer.first_name }}, {{ record.subject }} comes to {{ record.amount }} ({{ record.stage }})."), default));

        var rendered = await Env.With<Parley.Core.Templates.TemplateService, Parley.Core.Templates.RenderedTemplate>(t =>
            t.PreviewAsync(template.Id, record.Record.Id, user, default));
        Assert.Equal("Your quotation Q-00001", rendered.Subject);
        Assert.Equal("Dear Ana, Website comes to 1,200.00 EUR (Draft).", rendered.Body);

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<Parley.Core.Templates.TemplateService, Parley.Core.Templates.MailTemplate>(t =>
            t.CreateAsync(new Parley.Core.Templates.TemplateInput("Typo", "quotation", "Hi", "{{ record.amuont }}"), default)));
        Assert.Contains("record.amuont", e.Errors["body"][0]);
    }
}

public sealed class RecordServiceSqliteTests() : RecordServiceTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class RecordServicePostgresTests(PostgresFixture pg) : RecordServiceTests(new PostgresDatabaseFactory(pg));
