using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Contacts;
using Parley.Core.Mailings;
using Parley.Core.Suppression;
using Parley.Core.Templates;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Mailings;

/// <summary>
/// A mailing over several chunks: every contact gets exactly one email, rendered for it, on its own record, with its
/// raw MIME and an outbox row pointing at it; a suppressed address is skipped and reported.
/// </summary>
public abstract class MailingServiceTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    [Fact]
    public async Task Every_contact_gets_its_own_email_across_chunks_and_the_suppressed_one_is_skipped()
    {
        var user = await Env.CreateUserAsync();
        await Env.SetAliasDomainAsync();
        var count = MailingService.ChunkSize * 2 + 30;
        var contacts = new List<Contact>();
        for (var i = 0; i < count; i++) contacts.Add(await Env.CreateContactAsync($"Person {i}", $"person{i}@customer.test", null));
        await Env.With<SuppressionService>(s => s.AddAsync("person7@customer.test", "asked not to be emailed", default));
        var template = await Env.With<TemplateService, MailTemplate>(t => t.CreateAsync(
            new TemplateInput("News", "contact", "News for {{ record.name }}", "Hello {{ record.name }},\n\nour news."), default));

        var result = await Env.With<MailingService, MailingResult>(m => m.SendAsync(
            new MailingRequest(template.Id, contacts.Select(c => c.Id).ToList(), null), user, "https://parley.test", default));

        Assert.Equal(count - 1, result.Queued);
        var skip = Assert.Single(result.Skipped);
        Assert.Equal("person7@customer.test", skip.Email);
        var messages = await Env.Db(db => db.Messages.AsNoTracking().Include(m => m.RawMime).Where(m => m.Direction == MessageDirection.Out).ToListAsync());
        var outbox = await Env.Db(db => db.Outbox.AsNoTracking().ToListAsync());
        Assert.Equal(count - 1, messages.Count);
        Assert.Equal(count - 1, outbox.Count);
        foreach (var contact in contacts.Where(c => c.Email != "person7@customer.test"))
        {
            var message = Assert.Single(messages, m => m.RecordType == "contact" && m.RecordId == contact.Id);
            Assert.Equal($"News for {contact.Name}", message.Subject);
            Assert.Equal(DeliveryState.Queued, message.State);
            var raw = Encoding.UTF8.GetString(message.RawMime!.Content);
            Assert.Contains(contact.Email, raw);
            Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", raw);
            var delivery = Assert.Single(outbox, o => o.ChatterMessageId == message.Id);
            Assert.Equal(contact.Email, delivery.Recipient);
            Assert.Equal(DeliveryState.Queued, delivery.State);
        }
    }
}

public sealed class MailingServiceSqliteTests() : MailingServiceTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class MailingServicePostgresTests(PostgresFixture pg) : MailingServiceTests(new PostgresDatabaseFactory(pg));
