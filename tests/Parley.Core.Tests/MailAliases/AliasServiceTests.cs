using Microsoft.EntityFrameworkCore;
using Parley.Core.Aliases;
using Parley.Core.Common;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.MailAliases;

public abstract class AliasServiceTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    [Fact]
    public async Task Changing_the_policy_keeps_the_alias_and_stores_the_new_policy()
    {
        var alias = await Env.With<AliasService, MailAlias>(s => s.CreateAsync("Support", null, AliasContactPolicy.Everyone, default));

        var changed = await Env.With<AliasService, MailAlias>(s => s.SetPolicyAsync(alias.Id, AliasContactPolicy.Followers, default));

        Assert.Equal(AliasContactPolicy.Followers, changed.ContactPolicy);
        var stored = await Env.Db(db => db.Aliases.AsNoTracking().SingleAsync());
        Assert.Equal(("support", AliasContactPolicy.Followers), (stored.LocalPart, stored.ContactPolicy));
    }

    [Fact]
    public async Task An_alias_only_starts_contact_threads()
    {
        // Routing makes the sender a contact and posts to that contact's thread; another record type would post a
        // contact's id into a record of another kind.
        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Env.With<AliasService, MailAlias>(s => s.CreateAsync("reports", "deliverability", AliasContactPolicy.Everyone, default)));
        Assert.Equal(["recordType"], e.Errors.Keys.ToArray());
        Assert.Equal(0, await Env.Db(db => db.Aliases.CountAsync()));
        var contact = await Env.With<AliasService, MailAlias>(s => s.CreateAsync("help", "Contact", AliasContactPolicy.Everyone, default));
        Assert.Equal("contact", contact.RecordType);
    }

    [Fact]
    public async Task An_unknown_policy_or_alias_is_refused()
    {
        var alias = await Env.With<AliasService, MailAlias>(s => s.CreateAsync("sales", null, AliasContactPolicy.KnownContacts, default));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Env.With<AliasService, MailAlias>(s => s.SetPolicyAsync(alias.Id, (AliasContactPolicy)42, default)));
        Assert.Equal(["contactPolicy"], e.Errors.Keys.ToArray());
        await Assert.ThrowsAsync<NotFoundException>(() =>
            Env.With<AliasService, MailAlias>(s => s.SetPolicyAsync(alias.Id + 1, AliasContactPolicy.Everyone, default)));
        Assert.Equal(AliasContactPolicy.KnownContacts, (await Env.Db(db => db.Aliases.AsNoTracking().SingleAsync())).ContactPolicy);
    }
}

public sealed class AliasServiceSqliteTests() : AliasServiceTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class AliasServicePostgresTests(PostgresFixture pg) : AliasServiceTests(new PostgresDatabaseFactory(pg));
