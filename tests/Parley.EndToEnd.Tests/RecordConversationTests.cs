using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// A quotation's conversation with real peers: the email sent from the quotation goes to its customer through
/// smtp-sink, and the customer's swaks reply lands on that quotation, not on the customer's contact; a stage change
/// shows in the quotation's chatter. Runs on SQLite and on PostgreSQL.
/// </summary>
public abstract class RecordConversationTests(PostgresFixture? postgres, ITestOutputHelper output) : RelayedParleyTests(postgres, output)
{
    protected override async Task ArrangeAsync(ParleyHost parley) =>
        await parley.PostAsync("/api/v1/record-types", new
        {
            key = "quotation",
            name = "Quotations",
            singularLabel = "Quotation",
            prefix = "S",
            fields = new object[]
            {
                new { key = "subject", label = "Subject", type = "text", required = true },
                new { key = "customer", label = "Customer", type = "contact", tracked = true },
                new { key = "amount", label = "Amount", type = "money", currency = "EUR", tracked = true },
            },
            customerField = "customer",
            stages = new object[] { new { key = "draft", name = "Draft" }, new { key = "sent", name = "Sent" }, new { key = "won", name = "Won", done = true } },
        });

    [Fact]
    public async Task The_customers_reply_to_a_quotation_lands_on_that_quotation_not_on_the_contact()
    {
        var contact = await Parley.AddContactAsync("Ana Lima", "ana@customer.test");
        var created = await Parley.PostAsync("/api/v1/records/quotation", new { fields = new { subject = "Website redesign", customer = contact, amount = 1200 } });
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("S00001", created.GetProperty("reference").GetString());
        var quotation = $"/api/v1/records/quotation/{id}";

        // No recipient given: the email goes to the quotation's customer.
        var posted = await Parley.PostAsync($"{quotation}/messages", new { kind = "email", subject = "Your quotation S00001", body = "Dear Ana,\n\nhere it is." });
        var messageId = posted.GetProperty("messageId").GetString()!;
        await Parley.WaitForMessageAsync(quotation, m => m.GetProperty("messageId").GetString() == messageId && m.GetProperty("state").GetString() == "sent");
        var dumped = Assert.Single(await Sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal(["ana@customer.test"], dumped.Recipients);
        using var mime = dumped.Mime();
        Assert.Equal("Ana Lima", mime.To.Mailboxes.Single().Name);
        var replyTo = mime.ReplyTo.Mailboxes.Single().Address;
        Assert.StartsWith($"reply+quotation-{id}-", replyTo);

        await ReplyAsync("ana@customer.test", replyTo, messageId, "Re: Your quotation S00001", "Looks good, we accept.");

        var reply = await Parley.WaitForMessageAsync(quotation, m => m.GetProperty("direction").GetString() == "in");
        Assert.Contains("we accept", reply.GetProperty("text").GetString());
        var contactTimeline = (await Parley.GetAsync($"/api/v1/records/contact/{contact}/messages")).EnumerateArray().ToList();
        Assert.Empty(contactTimeline);

        // A second reply that lost its threading headers still finds the quotation by its signed reply address.
        await ReplyAsync("ana@customer.test", replyTo, "rewritten@provider.test", "Re: Your quotation", "One more thing.");
        await Parley.WaitForMessageAsync(quotation, m => m.GetProperty("text").GetString()!.Contains("One more thing"));

        // The stage change the salesperson makes shows in the same chatter, with who made it.
        var changed = await Parley.PutAsync(quotation, new { stage = "won", version = 1 });
        Assert.Equal("won", changed.GetProperty("stage").GetString());
        var stageEvent = await Parley.WaitForMessageAsync(quotation, m => m.GetProperty("kind").GetString() == "event" && m.GetProperty("text").GetString() == "Stage: Draft → Won");
        Assert.Equal("Alice Admin", stageEvent.GetProperty("author").GetString());
        Assert.Empty((await Parley.GetAsync($"/api/v1/records/contact/{contact}/messages")).EnumerateArray());
    }

    [Fact]
    public async Task Bad_records_get_a_problem_naming_each_field_and_a_stale_edit_gets_409_with_what_changed()
    {
        using var bad = await Parley.Api.PostAsJsonAsync("/api/v1/records/quotation", new { stage = "shipped", fields = new { subject = 5, colour = "red", customer = 999 } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["fields.colour", "fields.customer", "fields.subject", "stage"], problem.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(0, (await Parley.GetAsync("/api/v1/records/quotation")).GetProperty("total").GetInt32());

        using var builtIn = await Parley.Api.PostAsJsonAsync("/api/v1/record-types", new
        {
            key = "contact",
            name = "Contacts",
            prefix = "C",
            fields = Array.Empty<object>(),
            stages = new[] { new { key = "new", name = "New" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, builtIn.StatusCode);
        Assert.Contains("\"key\"", await builtIn.Content.ReadAsStringAsync());

        var id = (await Parley.PostAsync("/api/v1/records/quotation", new { fields = new { subject = "Logo" } })).GetProperty("id").GetInt64();
        await Parley.PutAsync($"/api/v1/records/quotation/{id}", new { stage = "sent", version = 1 });
        using var stale = await Parley.Api.PutAsJsonAsync($"/api/v1/records/quotation/{id}", new { fields = new { amount = 10 }, version = 1 });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var conflict = JsonDocument.Parse(await stale.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["stage"], conflict.GetProperty("changed").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(2, conflict.GetProperty("version").GetInt32());
        var read = await Parley.GetAsync($"/api/v1/records/quotation/{id}");
        Assert.Equal(JsonValueKind.Null, read.GetProperty("fields").GetProperty("amount").ValueKind);

        var listed = await Parley.GetAsync("/api/v1/records/quotation?stage=sent&sort=-amount&q=logo&take=10");
        Assert.Equal(id, listed.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetInt64());
    }
}

public sealed class RecordConversationOnSqliteTests(ITestOutputHelper output) : RecordConversationTests(null, output);

[Collection(PostgresCollection.Name)]
public sealed class RecordConversationOnPostgresTests(PostgresFixture postgres, ITestOutputHelper output) : RecordConversationTests(postgres, output);
