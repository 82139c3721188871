using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Followers;
using Parley.Core.Records;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Followers;

public abstract class FollowerServiceTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    [Fact]
    public async Task Adding_by_email_finds_the_user_or_the_contact_who_has_the_address()
    {
        var record = new RecordRef(RecordDirectory.ContactType, (await Env.CreateContactAsync()).Id);
        var user = await Env.CreateUserAsync("Ada Admin", "ada@parley.test");
        var bob = await Env.CreateContactAsync("Bob Stone", "bob@stone.test", null);

        var asUser = await AddAsync(record, " ADA@parley.test ", "ignored");
        var asContact = await AddAsync(record, "bob@stone.test", null);

        Assert.Equal((user.Id, (long?)null, "Ada Admin"), (asUser.UserId!.Value, asUser.ContactId, asUser.Name));
        Assert.Equal((bob.Id, "Bob Stone", "bob@stone.test"), (asContact.ContactId!.Value, asContact.Name, asContact.Email));
        Assert.Equal(2, await Env.Db(db => db.Contacts.CountAsync()));
    }

    [Fact]
    public async Task Adding_an_unknown_address_creates_one_lower_case_contact_named_as_given()
    {
        var record = new RecordRef(RecordDirectory.ContactType, (await Env.CreateContactAsync()).Id);

        var named = await AddAsync(record, "Carla@Partner.test", "Carla Reis");
        var again = await AddAsync(record, "carla@partner.test", "Another Name");
        var unnamed = await AddAsync(record, "dan@partner.test", " ");

        Assert.Equal(named.Id, again.Id);
        Assert.Equal("Carla Reis", named.Name);
        Assert.Equal("dan", unnamed.Name);
        var contacts = await Env.Db(db => db.Contacts.AsNoTracking().OrderBy(c => c.Id).Select(c => c.Email).ToListAsync());
        Assert.Equal(["ana@customer.test", "carla@partner.test", "dan@partner.test"], contacts);
        Assert.Equal(2, await Env.Db(db => db.Followers.CountAsync()));
    }

    [Fact]
    public async Task A_bad_address_is_refused_and_writes_nothing()
    {
        var record = new RecordRef(RecordDirectory.ContactType, (await Env.CreateContactAsync()).Id);

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => AddAsync(record, "not an address", "Someone"));

        Assert.Equal(["email"], e.Errors.Keys.ToArray());
        Assert.Equal(0, await Env.Db(db => db.Followers.CountAsync()));
        Assert.Equal(1, await Env.Db(db => db.Contacts.CountAsync()));
    }

    private Task<Follower> AddAsync(RecordRef record, string? email, string? name) =>
        Env.With<FollowerService, Follower>(s => s.AddByEmailAsync(record, email, name, default));
}

public sealed class FollowerServiceSqliteTests() : FollowerServiceTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class FollowerServicePostgresTests(PostgresFixture pg) : FollowerServiceTests(new PostgresDatabaseFactory(pg));
