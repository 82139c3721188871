using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Identity;
using Parley.Core.Records;
using Parley.Core.Templates;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Templates;

public abstract class TemplateServiceTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    /// <summary>A user and a contact (Ana Lima of Lima &amp; Co) with the alias domain set, so that an email to her can be queued.</summary>
    private async Task<(ActingUser User, Contact Ana)> ReadyToEmailAsync()
    {
        var user = await Env.CreateUserAsync();
        var ana = await Env.CreateContactAsync();
        await Env.SetAliasDomainAsync();
        return (user, ana);
    }

    private Task<ChatterMessage> EmailFromTemplateAsync(ActingUser user, Contact ana, long templateId) =>
        Env.With<ChatterService, ChatterMessage>(c => c.PostAsync(
            new RecordRef("contact", ana.Id), new ComposeRequest(MessageKind.Email, null, null, templateId), user, default));

    private Task<MailTemplate> Create(string subject, string body, string recordType = "contact", string name = "Quote") =>
        Env.With<TemplateService, MailTemplate>(t => t.CreateAsync(new TemplateInput(name, recordType, subject, body), default));

    [Fact]
    public async Task Preview_renders_against_a_real_record_and_the_acting_user()
    {
        var user = await Env.CreateUserAsync();
        var ana = await Env.CreateContactAsync("Ana Lima", "ana@customer.test", "Lima & Co");
        var template = await Create("Quote for {{ record.company }}", "Dear {{ record.first_name }},\n-- {{ user.name }}");
        var preview = await Env.With<TemplateService, RenderedTemplate>(t => t.PreviewAsync(template.Id, ana.Id, user, default));
        Assert.Equal("Quote for Lima & Co", preview.Subject);
        Assert.Equal("Dear Ana,\n-- Ada Admin", preview.Body);
    }

    [Fact]
    public async Task A_template_with_a_syntax_error_is_not_saved_and_the_field_is_named()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Create("Fine", "Hello {% if record.name %}"));
        Assert.Equal(["body"], e.Errors.Keys.ToArray());
        Assert.Contains("template error", e.Errors["body"][0]);
        Assert.Equal(0, await Env.Db(db => db.Templates.CountAsync()));
    }

    [Fact]
    public async Task Unknown_names_in_the_subject_and_the_body_are_all_refused_with_their_line_and_column()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Create(
            "Quote for {{ record.compnay }}",
            "Dear {{ record.nmae }},\n\n{% if record.vip %}Thank you for being with us.{% endif %}\n" +
            "{% if false %}{{ recrod.phone }}{% endif %}Your order {{ order.number }} is on its way."));
        Assert.Equal(["body", "subject"], e.Errors.Keys.Order().ToArray());
        Assert.Contains("\"record.compnay\" (line 1, column 14)", e.Errors["subject"][0]);
        var body = e.Errors["body"][0];
        Assert.Contains("\"record.nmae\" (line 1, column 9)", body);
        Assert.Contains("\"record.vip\" (line 3, column 7)", body);
        Assert.Contains("\"recrod.phone\" (line 4, column 18)", body); // in a branch no sample would ever render
        Assert.Contains("\"order.number\" (line 4, column 58)", body);
        Assert.Contains("record.first_name", body); // and what can be used instead
        Assert.Equal(0, await Env.Db(db => db.Templates.CountAsync()));
    }

    [Fact]
    public async Task Names_the_template_defines_itself_and_every_field_of_its_type_are_accepted()
    {
        var template = await Create("{{ record.first_name }}, {{ user.name }} here",
            "{% assign greeting = \"Hello\" %}{% capture sign %}{{ user.name }}{% endcapture %}{{ greeting }} {{ record.name | upcase }},\n" +
            "{% for tag in record.tags %}{{ forloop.index }}. {{ tag }}{% endfor %}{{ record[\"company\"] }} {{ record.email }} {{ record.phone }} {{ sign }}");
        Assert.True(template.Id > 0);
        var domain = await Create("Doctor {{ record.domain }}", "{{ record.id }}", recordType: "deliverability", name: "Doctor");
        Assert.True(domain.Id > 0);
    }

    [Fact]
    public async Task A_preview_reports_unknown_names_in_both_fields_at_once()
    {
        var user = await Env.CreateUserAsync();
        var ana = await Env.CreateContactAsync();
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<TemplateService, RenderedTemplate>(t =>
            t.PreviewDraftAsync(new TemplateInput("Draft", "contact", "Hi {{ record.frist_name }}", "Dear {{ record.nmae }}"), ana.Id, user, default)));
        Assert.Contains("record.frist_name", e.Errors["subject"][0]);
        Assert.Contains("record.nmae", e.Errors["body"][0]);
    }

    [Fact]
    public async Task Missing_fields_and_an_unknown_record_type_are_all_reported()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Env.With<TemplateService, MailTemplate>(t => t.CreateAsync(new TemplateInput(" ", "invoice", "", null), default)));
        Assert.Equal(["body", "name", "recordType", "subject"], e.Errors.Keys.Order().ToArray());
        Assert.Contains("contact", e.Errors["recordType"][0]);
    }

    [Fact]
    public async Task Preview_of_an_unknown_template_or_record_is_not_found()
    {
        var user = await Env.CreateUserAsync();
        var template = await Create("S", "B");
        await Assert.ThrowsAsync<NotFoundException>(() => Env.With<TemplateService, RenderedTemplate>(t => t.PreviewAsync(999, 1, user, default)));
        await Assert.ThrowsAsync<NotFoundException>(() => Env.With<TemplateService, RenderedTemplate>(t => t.PreviewAsync(template.Id, 999, user, default)));
    }

    [Fact]
    public async Task An_email_from_a_template_is_rendered_per_record_and_queued()
    {
        var (user, ana) = await ReadyToEmailAsync();
        var template = await Create("Quote for {{ record.company }}", "Dear {{ record.name }}");
        var message = await EmailFromTemplateAsync(user, ana, template.Id);
        Assert.Equal("Quote for Lima & Co", message.Subject);
        Assert.Equal("Dear Ana Lima", message.BodyText.Trim());
        Assert.Equal(1, await Env.Db(db => db.Outbox.CountAsync()));
    }

    [Fact]
    public async Task A_template_that_fails_to_render_is_never_queued()
    {
        var (user, ana) = await ReadyToEmailAsync();
        // Saved before the save checked names (the syntax is valid) but uses a name that does not exist.
        var template = new MailTemplate { Name = "Old", RecordType = "contact", Subject = "Hi", Body = "Your order {{ order.number }}" };
        await Env.Db(db => { db.Templates.Add(template); return db.SaveChangesAsync(); });
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => EmailFromTemplateAsync(user, ana, template.Id));
        Assert.Contains("order", e.Errors["body"][0]);
        Assert.Equal(0, await Env.Db(db => db.Messages.CountAsync()));
        Assert.Equal(0, await Env.Db(db => db.Outbox.CountAsync()));
    }

    [Fact]
    public async Task A_template_for_another_record_type_or_an_unknown_template_is_refused()
    {
        var (user, ana) = await ReadyToEmailAsync();
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => EmailFromTemplateAsync(user, ana, 999));
        Assert.Equal(["templateId"], e.Errors.Keys.ToArray());
        Assert.Equal(0, await Env.Db(db => db.Outbox.CountAsync()));
    }
}

public sealed class TemplateServiceSqliteTests() : TemplateServiceTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class TemplateServicePostgresTests(PostgresFixture pg) : TemplateServiceTests(new PostgresDatabaseFactory(pg));
