namespace Parley.EndToEnd.Tests;

/// <summary>
/// Two Parley nodes on one PostgreSQL database share the outbox: every queued email leaves
/// exactly once, whichever node claims it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedOutboxTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Two_nodes_on_one_postgres_database_send_each_email_exactly_once()
    {
        const int count = 120;
        var database = await postgres.CreateDatabaseAsync();
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var first = await ParleyApi.ServeWithAliasDomainAsync(options: o => o with { Database = database });
        await first.PostAsync("/api/v1/outgoing-servers", new { name = "relay", host = "127.0.0.1", port = sink.Port, security = "none" });
        await using var second = await ParleyHost.ServeAsync(o => o with { Database = database }, seedAdmin: false);

        var csv = "name,email\n" + string.Join("\n", Enumerable.Range(1, count).Select(i => $"Customer {i},c{i}@customer.test"));
        using (var import = await first.Api.PostAsync("/api/v1/contacts/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv")))
        {
            import.EnsureSuccessStatusCode();
        }

        var contacts = (await first.GetAsync("/api/v1/contacts?take=500")).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(count, contacts.Count);

        // Queue through both nodes at once, so both workers are busy claiming.
        await Task.WhenAll(contacts.Select((id, i) => (i % 2 == 0 ? first : second).PostAsync(
            $"/api/v1/records/contact/{id}/messages", new { kind = "email", subject = $"Hello {id}", body = "Hi" })));

        var stats = await Eventually.UntilAsync(() => first.GetAsync("/api/v1/outbox/stats"), s => s.GetProperty("sent").GetInt32() >= count,
            TimeSpan.FromSeconds(60), $"all {count} emails are sent");

        // A barrier: one more email through each node, queued only now, must arrive; by then the queue has moved past
        // every earlier row, so a duplicate of one would have arrived before it.
        var later = new List<string>();
        foreach (var node in new[] { first, second })
        {
            var email = $"later{later.Count}@customer.test";
            var id = await node.AddContactAsync($"Later {later.Count}", email);
            await node.PostAsync($"/api/v1/records/contact/{id}/messages", new { kind = "email", subject = "Later", body = "Hi" });
            later.Add(email);
        }
        var dumped = await Eventually.UntilAsync(sink.ReadMessages, m => later.All(l => m.Any(d => d.Recipients.Single() == l)),
            TimeSpan.FromSeconds(60), "the two later emails reach the relay");

        var perRecipient = dumped.GroupBy(m => m.Recipients.Single()).ToDictionary(g => g.Key, g => g.Count());
        stats = await Eventually.UntilAsync(() => first.GetAsync("/api/v1/outbox/stats"), s => s.GetProperty("sent").GetInt32() >= count + later.Count,
            TimeSpan.FromSeconds(20), "the later emails are recorded as sent");
        Assert.True(count + later.Count == perRecipient.Count, $"{perRecipient.Count} of {count + later.Count} arrived; outbox: {stats}");
        Assert.All(perRecipient, kv => Assert.Equal(1, kv.Value));
        Assert.Equal(count + later.Count, stats.GetProperty("sent").GetInt32());
    }
}
