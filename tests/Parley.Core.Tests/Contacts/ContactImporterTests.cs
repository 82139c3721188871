using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Contacts;

public abstract class ContactImporterTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private Task<ImportResult> Import(string csv) =>
        Env.With<ContactImporter, ImportResult>(i => i.ImportAsync(new StringReader(csv), default));

    private Task<List<Contact>> Contacts() => Env.Db(db => db.Contacts.AsNoTracking().OrderBy(c => c.Email).ToListAsync());

    [Fact]
    public async Task Good_lines_are_created_bad_lines_rejected_with_their_line_number()
    {
        var result = await Import(
            "name,email,company,phone,tags\n" +
            "Ana Lima,ana@customer.test,\"Lima, Lda\",+351 1,\"vip,lead\"\n" +
            ",nobody@customer.test\n" +
            "Bob,not-an-email\n" +
            "Carla,carla@customer.test\n" +
            "Ana Again,ana@CUSTOMER.test\n");

        Assert.Equal(2, result.Created);
        Assert.Equal(0, result.Updated);
        Assert.Equal([3, 4, 6], result.Rejected.Select(r => r.Line).ToArray());
        Assert.Contains("name", result.Rejected[0].Reason);
        Assert.Contains("not-an-email", result.Rejected[1].Reason);
        Assert.Contains("line 2", result.Rejected[2].Reason);

        var contacts = await Contacts();
        Assert.Equal(["ana@customer.test", "carla@customer.test"], contacts.Select(c => c.Email).ToArray());
        Assert.Equal("Lima, Lda", contacts[0].Company);
        Assert.Equal("vip,lead", contacts[0].Tags);
    }

    [Fact]
    public async Task An_existing_email_is_updated_not_duplicated()
    {
        await Env.CreateContactAsync("Ana Lima", "ana@customer.test", "Old Co");
        var result = await Import("email,name,company\nana@CUSTOMER.test,Ana Souza,New Co\nbob@customer.test,Bob,\n");
        Assert.Equal(1, result.Created);
        Assert.Equal(1, result.Updated);
        Assert.Empty(result.Rejected);
        var ana = (await Contacts()).Single(c => c.Email == "ana@customer.test");
        Assert.Equal("Ana Souza", ana.Name);
        Assert.Equal("New Co", ana.Company);
    }

    [Fact]
    public async Task A_byte_order_mark_before_the_header_is_ignored()
    {
        var result = await Import("\uFEFFname,email\r\nAna,ana@customer.test\r\n");
        Assert.Equal(1, result.Created);
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public async Task Semicolon_separated_files_are_understood()
    {
        var result = await Import("name;email;company\nAna;ana@customer.test;Lima, Lda\nBob;bob@customer.test;\n");
        Assert.Equal(2, result.Created);
        Assert.Empty(result.Rejected);
        Assert.Equal("Lima, Lda", (await Contacts())[0].Company);
    }

    [Fact]
    public async Task Quoted_fields_may_hold_delimiters_quotes_and_line_breaks_and_later_line_numbers_stay_physical()
    {
        var result = await Import(
            "name,email,company\n" +
            "\"Lima, Ana\",ana@customer.test,\"The \"\"Best\"\" Co\"\n" +
            "Bob,bob@customer.test,\"Floor 2\nBuilding B\"\n" +
            "\n" +
            "Carla,carla@@customer.test,\n");
        Assert.Equal(2, result.Created);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(6, rejected.Line); // as an editor numbers lines: the multi-line field and the blank line count
        var ana = (await Contacts())[0];
        Assert.Equal("Lima, Ana", ana.Name);
        Assert.Equal("The \"Best\" Co", ana.Company);
    }

    [Fact]
    public async Task An_unclosed_quote_is_reported_on_its_own_line_with_what_it_swallowed()
    {
        var result = await Import(
            "name,email,company\n" +
            string.Concat(Enumerable.Range(2, 6).Select(i => $"Person {i},p{i}@customer.test,Co {i}\n")) +
            "\"Zoe Dias,zoe@customer.test,Dias Lda\n" +
            "Yan Li,yan@customer.test,Li Co\n");

        Assert.Equal(6, result.Created);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(8, rejected.Line);
        Assert.Equal("The quote that opens \"Zoe Dias,zoe@customer.test,Dias Lda…\" is never closed, so lines 8 to 9 (the end of the file) were read as one value " +
            "and nothing from them was imported. Close the quote (or remove it) and import the file again.", rejected.Reason);
    }

    [Fact]
    public async Task A_quote_closed_lines_later_by_another_value_is_reported_where_it_opens()
    {
        var result = await Import(
            "name,email,company\n" +
            "Ana,ana@customer.test,\n" +
            "\"Zoe Dias,zoe@customer.test,\n" +
            "Yan Li,yan@customer.test,\n" +
            "Bob,bob@customer.test,\"Big, Co\"\n" +
            "Carla,carla@customer.test,\n");

        Assert.Equal(["ana@customer.test", "carla@customer.test"], (await Contacts()).Select(c => c.Email).ToArray());
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(3, rejected.Line);
        Assert.StartsWith("The quote that opens \"Zoe Dias,zoe@customer.test,…\" is not closed on its line, so lines 3 to 5 were read as one value", rejected.Reason);
    }

    [Fact]
    public async Task Importing_a_contact_again_adds_tags_and_keeps_what_the_file_has_no_column_for()
    {
        await Env.CreateContactAsync("Ana Lima", "ana@customer.test", "Lima & Co"); // tags vip, lead; phone +351 1234
        var result = await Import("name,email,tags\nAna Lima,ana@customer.test,\"newsletter,VIP\"\n");
        Assert.Equal(1, result.Updated);
        var ana = Assert.Single(await Contacts());
        Assert.Equal("vip,lead,newsletter", ana.Tags);
        Assert.Equal("Lima & Co", ana.Company);
        Assert.Equal("+351 1234", ana.Phone);

        await Import("name,email\nAna Lima,ana@customer.test\n");
        Assert.Equal("vip,lead,newsletter", Assert.Single(await Contacts()).Tags);
    }

    [Fact]
    public async Task An_unknown_column_stops_the_import_before_anything_is_written()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Import("name,email,fax\nAna,ana@customer.test,123\n"));
        Assert.Equal(["csv"], e.Errors.Keys.ToArray());
        Assert.Contains("Line 1", e.Message);
        Assert.Contains("fax", e.Message);
        Assert.Empty(await Contacts());
    }

    [Fact]
    public async Task A_file_without_a_header_is_refused_and_nothing_is_written()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Import("Ana,ana@customer.test\nBob,bob@customer.test\n"));
        Assert.Contains("Line 1", e.Message);
        Assert.Empty(await Contacts());
    }

    [Fact]
    public async Task A_header_without_the_email_column_is_refused()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Import("name,company\nAna,Lima\n"));
        Assert.Contains("email", e.Message);
        Assert.Empty(await Contacts());
    }

    [Fact]
    public async Task A_repeated_column_is_refused() =>
        Assert.Contains("twice", (await Assert.ThrowsAsync<InvalidInputException>(() => Import("name,email,Email\nA,a@b.test,c@d.test\n"))).Message);

    [Fact]
    public async Task An_empty_file_is_refused() =>
        Assert.Contains("empty", (await Assert.ThrowsAsync<InvalidInputException>(() => Import(""))).Message);

    [Fact]
    public async Task A_file_of_only_bad_lines_writes_nothing_and_reports_each()
    {
        var result = await Import("name,email\nA,x\nB,y\n");
        Assert.Equal(0, result.Created);
        Assert.Equal([2, 3], result.Rejected.Select(r => r.Line).ToArray());
        Assert.Empty(await Contacts());
    }
}

public sealed class ContactImporterSqliteTests() : ContactImporterTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class ContactImporterPostgresTests(PostgresFixture pg) : ContactImporterTests(new PostgresDatabaseFactory(pg));
