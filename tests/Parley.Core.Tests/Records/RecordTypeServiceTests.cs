using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Records;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;
using static Parley.Core.Tests.Records.RecordFixtures;

namespace Parley.Core.Tests.Records;

public abstract class RecordTypeServiceTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private Task<RecordType> CreateAsync(RecordTypeInput input) => Env.With<RecordTypeService, RecordType>(s => s.CreateAsync(input, default));

    private Task<RecordType> UpdateAsync(string key, RecordTypeInput input) => Env.With<RecordTypeService, RecordType>(s => s.UpdateAsync(key, input, default));

    private Task<RecordType> GetAsync(string key) => Env.With<RecordTypeService, RecordType>(s => s.GetAsync(key, default));

    [Fact]
    public async Task A_type_keeps_its_fields_and_stages_in_order()
    {
        await CreateAsync(Quotation());

        var type = await GetAsync("quotation");
        Assert.Equal("Quotations", type.Name);
        Assert.Equal("Quotation", type.SingularLabel);
        Assert.Equal("customer", type.CustomerField);
        Assert.Equal(["subject", "customer", "amount", "notes", "priority", "valid_until", "signed"], type.ActiveFields.Select(f => f.Key));
        Assert.Equal(FieldType.Money, type.ActiveField("amount")!.Type);
        Assert.Equal("EUR", type.ActiveField("amount")!.Currency);
        Assert.Equal(["Low", "High"], type.ActiveField("priority")!.ChoiceList);
        Assert.Equal(["draft", "sent", "won", "lost"], type.OrderedStages.Select(s => s.Key));
        Assert.True(type.OrderedStages.Single(s => s.Key == "won").IsDone);
        Assert.True(type.OrderedStages.Single(s => s.Key == "lost").IsCancelled);
    }

    [Fact]
    public async Task A_bad_definition_names_every_wrong_part_and_writes_nothing()
    {
        var bad = Quotation() with
        {
            Key = "contact",
            Prefix = "",
            Fields = [new FieldInput("subject", "Subject", "text"), new FieldInput("size", "Size", "huge"), new FieldInput("subject", "Again", "text"),
                new FieldInput("stage", "Stage", "text"), new FieldInput("kind", "Kind", "choice")],
            CustomerField = "subject",
            Stages = [new StageInput("a", "A", Done: true), new StageInput("b", "B", Done: true)],
        };
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync(bad));

        Assert.Contains("built in", e.Errors["key"][0]);
        Assert.True(e.Errors.ContainsKey("prefix"));
        Assert.Contains("\"huge\" is not a field type", e.Errors["fields[1].type"][0]);
        Assert.Contains("Two fields", e.Errors["fields[2].key"][0]);
        Assert.Contains("part of every record", e.Errors["fields[3].key"][0]);
        Assert.True(e.Errors.ContainsKey("fields[4].choices"));
        Assert.Contains("must link to a contact", e.Errors["customerField"][0]);
        Assert.Contains("done", e.Errors["stages"][0]);
        Assert.Equal(0, await Env.Db(db => db.RecordTypes.CountAsync()));
        Assert.Equal(0, await Env.Db(db => db.Set<RecordField>().CountAsync()));
    }

    [Fact]
    public async Task A_key_taken_by_another_type_is_refused()
    {
        await CreateAsync(Quotation());
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync(Quotation(prefix: "X-")));
        Assert.Contains("already exists", e.Errors["key"][0]);
    }

    [Fact]
    public async Task A_removed_field_is_hidden_with_its_values_kept_and_comes_back_with_them()
    {
        var user = await Env.CreateUserAsync();
        await CreateAsync(Quotation());
        var record = await Env.With<RecordService, RecordSnapshot>(s => s.CreateAsync("quotation",
            new RecordInput(null, Fields(("subject", "Website"), ("notes", "Call before noon"))), user, default));

        var withoutNotes = Quotation() with { Fields = Quotation().Fields!.Where(f => f.Key != "notes").ToList() };
        var changed = await UpdateAsync("quotation", withoutNotes);
        Assert.DoesNotContain("notes", changed.ActiveFields.Select(f => f.Key));
        var hidden = await Env.With<RecordReader, RecordSnapshot>(r => r.GetAsync("quotation", record.Record.Id, default));
        Assert.False(hidden.ApiFields().ContainsKey("notes"));
        await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<RecordService, RecordSnapshot>(s => s.UpdateAsync("quotation", record.Record.Id,
            new RecordInput(null, Fields(("notes", "again"))), user, default)));

        await UpdateAsync("quotation", Quotation());
        var back = await Env.With<RecordReader, RecordSnapshot>(r => r.GetAsync("quotation", record.Record.Id, default));
        Assert.Equal("Call before noon", back.ApiFields()["notes"]);
    }

    [Fact]
    public async Task A_field_with_values_keeps_its_type_and_a_stage_with_records_stays()
    {
        var user = await Env.CreateUserAsync();
        await CreateAsync(Quotation());
        await Env.With<RecordService, RecordSnapshot>(s => s.CreateAsync("quotation", new RecordInput(null, Fields(("subject", "Website"))), user, default));

        var retyped = Quotation() with
        {
            Fields = Quotation().Fields!.Select(f => f.Key == "subject" ? f with { Type = "number" } : f).ToList(),
            Stages = [new StageInput("sent", "Sent")],
        };
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => UpdateAsync("quotation", retyped));
        Assert.Contains("cannot change", e.Errors["fields[0].type"][0]);
        Assert.Contains("1 record is in the stage \"Draft\"", e.Errors["stages"][0]);
        Assert.Equal(4, (await GetAsync("quotation")).Stages.Count);
        Assert.Equal(FieldType.Text, (await GetAsync("quotation")).ActiveField("subject")!.Type);
    }

    [Fact]
    public async Task A_type_with_records_is_not_deleted_and_says_how_many()
    {
        var user = await Env.CreateUserAsync();
        await CreateAsync(Quotation());
        await Env.With<RecordService, RecordSnapshot>(s => s.CreateAsync("quotation", new RecordInput(null, Fields(("subject", "A"))), user, default));
        await Env.With<RecordService, RecordSnapshot>(s => s.CreateAsync("quotation", new RecordInput(null, Fields(("subject", "B"))), user, default));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Env.With<RecordTypeService>(s => s.DeleteAsync("quotation", default)));
        Assert.Contains("2 records", e.Errors["key"][0]);
        Assert.Equal(1, await Env.Db(db => db.RecordTypes.CountAsync()));
    }
}

public sealed class RecordTypeServiceSqliteTests() : RecordTypeServiceTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class RecordTypeServicePostgresTests(PostgresFixture pg) : RecordTypeServiceTests(new PostgresDatabaseFactory(pg));
