using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Contacts;

public abstract class ContactServiceTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    [Fact]
    public async Task Create_stores_the_normalised_contact()
    {
        var created = await Env.With<ContactService, Contact>(s => s.CreateAsync(
            new ContactInput(" Ana Lima ", " Ana@Customer.TEST ", "Lima & Co", "+351 1", "VIP, lead"), default));
        Assert.True(created.Id > 0);
        var stored = await Env.Db(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == created.Id));
        Assert.Equal("Ana Lima", stored.Name);
        Assert.Equal("ana@customer.test", stored.Email);
        Assert.Equal("vip,lead", stored.Tags);
        Assert.Equal(TestEnv.Start, stored.CreatedAt);
    }

    [Fact]
    public async Task Invalid_input_reports_every_field_and_writes_nothing()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Env.With<ContactService, Contact>(s => s.CreateAsync(new ContactInput("", "ana@@customer", Phone: new string('1', 65)), default)));
        Assert.Equal(["email", "name", "phone"], e.Errors.Keys.Order().ToArray());
        Assert.Equal(0, await Env.Db(db => db.Contacts.CountAsync()));
    }

    [Fact]
    public async Task A_duplicate_email_in_another_case_of_the_domain_is_refused()
    {
        await Env.CreateContactAsync(email: "ana@customer.test");
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Env.CreateContactAsync(name: "Other Ana", email: "ana@CUSTOMER.Test"));
        Assert.Equal(["email"], e.Errors.Keys.ToArray());
        Assert.Contains("already exists", e.Errors["email"][0]);
        Assert.Equal(1, await Env.Db(db => db.Contacts.CountAsync()));
    }

    [Fact]
    public async Task An_idn_address_is_stored_once_whichever_form_is_typed()
    {
        await Env.CreateContactAsync(email: "ana@bücher.example");
        await Assert.ThrowsAsync<InvalidInputException>(() => Env.CreateContactAsync(name: "Same", email: "ana@xn--bcher-kva.example"));
        Assert.Equal(1, await Env.Db(db => db.Contacts.CountAsync()));
    }

    [Fact]
    public async Task Update_refuses_an_email_another_contact_has_and_keeps_the_row()
    {
        await Env.CreateContactAsync(email: "ana@customer.test");
        var bob = await Env.CreateContactAsync(name: "Bob", email: "bob@customer.test");
        await Assert.ThrowsAsync<InvalidInputException>(() =>
            Env.With<ContactService, Contact>(s => s.UpdateAsync(bob.Id, new ContactInput("Bob", "ana@customer.test"), default)));
        Assert.Equal("bob@customer.test", await Env.Db(db => db.Contacts.Where(c => c.Id == bob.Id).Select(c => c.Email).SingleAsync()));
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_not_found() =>
        await Assert.ThrowsAsync<NotFoundException>(() => Env.With<ContactService, Contact>(s => s.GetAsync(999, default)));

    [Fact]
    public async Task Search_finds_by_name_email_company_and_tag_case_insensitively()
    {
        await Env.CreateContactAsync("Ana Lima", "ana@customer.test", "Lima & Co");
        await Env.CreateContactAsync("Bob Stone", "bob@stone.test", "Stone Ltd");
        async Task<string[]> Find(string q) =>
            (await Env.With<ContactService, (List<Contact>, int)>(s => s.SearchAsync(q, 0, 50, default))).Item1.Select(c => c.Name).ToArray();
        Assert.Equal(["Ana Lima"], await Find("ANA"));
        Assert.Equal(["Bob Stone"], await Find("stone.test"));
        Assert.Equal(["Bob Stone"], await Find("stone ltd"));
        Assert.Equal(["Ana Lima", "Bob Stone"], await Find("vip"));
    }
}

public sealed class ContactServiceSqliteTests() : ContactServiceTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class ContactServicePostgresTests(PostgresFixture pg) : ContactServiceTests(new PostgresDatabaseFactory(pg));
