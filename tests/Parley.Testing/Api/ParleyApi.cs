using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Parley.Hosting;

namespace Parley.Testing;

/// <summary>
/// The steps a test takes through the admin's API around the part it tests: the set-up (an alias domain, a relay on
/// loopback, a contact, a template), the send-and-wait most delivery tests end with, and reading an answer to poll with
/// <see cref="Eventually"/>. One owner for each request's shape, so a test reads as its scenario and a change in the
/// API is made in one place. Each step works on a <see cref="ParleyHost"/> and on any admin's API client (e.g. a
/// <see cref="ParleyProcess"/>'s).
/// </summary>
public static class ParleyApi
{
    /// <summary>The alias domain of the mail tests that do not need one of their own.</summary>
    public const string AliasDomain = "replies.parley.test";

    /// <summary>
    /// The whole Parley (<see cref="ParleyHost.ServeAsync"/>) with <paramref name="aliasDomain"/> set, as an admin's
    /// first step: the domain that replies, bounces and alias mail arrive on.
    /// </summary>
    public static async Task<ParleyHost> ServeWithAliasDomainAsync(string aliasDomain = AliasDomain,
        Func<ServeOptions, ServeOptions>? options = null, Action<WebApplicationBuilder>? configure = null)
    {
        var parley = await ParleyHost.ServeAsync(options, configure: configure);
        try
        {
            await parley.UseAliasDomainAsync(aliasDomain);
            return parley;
        }
        catch
        {
            await parley.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <see cref="ServeWithAliasDomainAsync"/> with <paramref name="relay"/> as the outgoing server: an email posted to
    /// a record goes out to that smtp-sink.
    /// </summary>
    public static async Task<ParleyHost> ServeWithRelayAsync(SmtpSinkPeer relay, string aliasDomain = AliasDomain,
        Func<ServeOptions, ServeOptions>? options = null, string relayName = "relay")
    {
        var parley = await ServeWithAliasDomainAsync(aliasDomain, options);
        try
        {
            await parley.AddRelayAsync(relay.Port, relayName);
            return parley;
        }
        catch
        {
            await parley.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sets the alias domain as an admin does, by PUT /api/v1/settings/alias-domain.</summary>
    public static Task UseAliasDomainAsync(this ParleyHost parley, string domain) => parley.Api.UseAliasDomainAsync(domain);

    /// <inheritdoc cref="UseAliasDomainAsync(ParleyHost, string)"/>
    /// <param name="api">An admin's API client, e.g. of a <see cref="ParleyProcess"/>.</param>
    public static Task UseAliasDomainAsync(this HttpClient api, string domain) =>
        ReadAsync(api.PutAsJsonAsync("/api/v1/settings/alias-domain", new { domain }));

    /// <summary>Adds an outgoing server on loopback, without TLS or login (an smtp-sink), and returns its id.</summary>
    public static Task<long> AddRelayAsync(this ParleyHost parley, int port, string name = "relay") => parley.Api.AddRelayAsync(port, name);

    /// <inheritdoc cref="AddRelayAsync(ParleyHost, int, string)"/>
    public static async Task<long> AddRelayAsync(this HttpClient api, int port, string name = "relay") =>
        (await ReadAsync(api.PostAsJsonAsync("/api/v1/outgoing-servers", new { name, host = "127.0.0.1", port, security = "none" }))).GetProperty("id").GetInt64();

    /// <summary>Adds a contact and returns its id.</summary>
    public static Task<long> AddContactAsync(this ParleyHost parley, string name, string email) => parley.Api.AddContactAsync(name, email);

    /// <inheritdoc cref="AddContactAsync(ParleyHost, string, string)"/>
    public static async Task<long> AddContactAsync(this HttpClient api, string name, string email) =>
        (await ReadAsync(api.PostAsJsonAsync("/api/v1/contacts", new { name, email }))).GetProperty("id").GetInt64();

    /// <summary>Adds a template for contacts (subject and body in Liquid, e.g. <c>{{ record.first_name }}</c>) and returns its id.</summary>
    public static async Task<long> AddTemplateAsync(this ParleyHost parley, string name, string subject, string body) =>
        (await parley.PostAsync("/api/v1/templates", new { name, recordType = "contact", subject, body })).GetProperty("id").GetInt64();

    /// <summary>
    /// Imports <paramref name="count"/> contacts by CSV, "{name} 1" &lt;{name}1@customer.test&gt; and on (the name in
    /// lower case in the address), and returns their ids.
    /// </summary>
    public static async Task<List<long>> ImportContactsAsync(this HttpClient api, string name, int count)
    {
        var csv = "name,email\n" + string.Join("\n", Enumerable.Range(1, count).Select(i => $"{name} {i},{name.ToLowerInvariant()}{i}@customer.test"));
        await ReadAsync(api.PostAsync("/api/v1/contacts/import", new StringContent(csv, Encoding.UTF8, "text/csv")));
        var found = await ReadAsync(api.GetAsync($"/api/v1/contacts?q={name.ToLowerInvariant()}&take=500"));
        return found.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
    }

    /// <summary>Queues an email to each contact in <paramref name="contacts"/> (the outbox sends them in the background).</summary>
    public static async Task QueueEmailsAsync(this HttpClient api, IEnumerable<long> contacts, string subject, string body = "Hi")
    {
        foreach (var id in contacts)
        {
            await ReadAsync(api.PostAsJsonAsync($"/api/v1/records/contact/{id}/messages", new { kind = "email", subject, body }));
        }
    }

    /// <summary>Adds a contact and returns its record's API path (<c>/api/v1/records/contact/{id}</c>).</summary>
    public static async Task<string> AddContactRecordAsync(this ParleyHost parley, string name, string email) =>
        $"/api/v1/records/contact/{await parley.AddContactAsync(name, email)}";

    /// <summary>
    /// Posts an email to <paramref name="record"/> and waits until the outbox has dealt with it (sent, deferred or
    /// failed), and returns that chatter message.
    /// </summary>
    public static async Task<JsonElement> SendEmailAndWaitAsync(this ParleyHost parley, string record, string subject, string body = "Hello",
        TimeSpan? timeout = null)
    {
        await parley.PostAsync($"{record}/messages", new { kind = "email", subject, body });
        return await parley.WaitForMessageAsync(record,
            m => m.GetProperty("subject").GetString() == subject && m.GetProperty("state").GetString() != "queued", timeout);
    }

    /// <summary>GET <paramref name="path"/> and its JSON answer (to poll with <see cref="Eventually"/>); a refusal throws with its status and body.</summary>
    public static Task<JsonElement> GetJsonAsync(this HttpClient api, string path) => ReadAsync(api.GetAsync(path));

    /// <summary>The answer's JSON (default when empty); a refusal throws with its status and body, so a failed set-up says why.</summary>
    private static async Task<JsonElement> ReadAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} → {(int)response.StatusCode}: {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
