using Microsoft.EntityFrameworkCore;
using Parley.Core.Mailings;
using Parley.Core.Mailings.Filters;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Mailings;

/// <summary>The same filter picks the same contacts on SQLite and PostgreSQL, run by the database, and the preview counts them.</summary>
public abstract class MailingFilterDatabaseTests<T>(IDatabaseFactory factory) : DatabaseTest(factory)
{
    [Theory]
    [InlineData("language = \"fr\" and tags contains \"vip\"", "Ana")]
    [InlineData("customer.language in (\"en\", \"FR\") and not (name contains \"an\")", "Bo,Dee")]
    [InlineData("language is empty or email contains \"%\"", "Cy,Dee")]
    [InlineData("tags = \"vi\"", "Dee")]
    public async Task SameRowsOnEveryProvider(string filter, string names)
    {
        await SeedAsync();
        var matched = await Env.Db(db => db.Contacts.AsNoTracking().Where(MailingFilter.Parse(filter, ContactAudience.Fields))
            .OrderBy(c => c.Name).Select(c => c.Name).ToListAsync());
        Assert.Equal(names, string.Join(",", matched));
        var preview = await Env.With<MailingAudiences, AudiencePreview>(a => a.PreviewAsync("contact", new AudienceFilter(null, null, filter), default));
        Assert.Equal(matched.Count, preview.Count);
        Assert.Equal(matched, preview.Sample.Select(v => v.Title).OrderBy(t => t, StringComparer.Ordinal).ToList());
    }

    private async Task SeedAsync()
    {
        foreach (var (name, language, tags) in new[] { ("Ana", "fr", "vip,spring"), ("Bo", "en", "spring"), ("Cy", null, ""), ("Dee", "fr", "vi") })
        {
            var contact = await Env.CreateContactAsync(name, $"{name.ToLowerInvariant()}{(name == "Dee" ? "%" : "")}@x.test", null);
            await Env.Db(db => db.Contacts.Where(c => c.Id == contact.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Language, language).SetProperty(c => c.Tags, tags)));
        }
    }
}

public sealed class MailingFilterSqliteTests() : MailingFilterDatabaseTests<SqliteDatabaseFactory>(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class MailingFilterPostgresTests(PostgresFixture pg) : MailingFilterDatabaseTests<PostgresFixture>(new PostgresDatabaseFactory(pg));
