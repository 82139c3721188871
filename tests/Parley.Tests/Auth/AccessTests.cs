using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Auth;

/// <summary>One host with an admin and a member, and a token of each kind; a contact and a template to point at.</summary>
public sealed class AccessFixture : IAsyncLifetime
{
    public ParleyHost Host { get; private set; } = null!;
    public User Admin { get; private set; } = null!;
    public User Member { get; private set; } = null!;
    public string AdminToken { get; private set; } = "";
    public string MemberToken { get; private set; } = "";
    public string ReadToken { get; private set; } = "";
    public string MailgateToken { get; private set; } = "";
    public string ExpiredToken { get; private set; } = "";
    public long ContactId { get; private set; }
    public long TemplateId { get; private set; }

    public async Task InitializeAsync()
    {
        Host = await ParleyHost.StartAsync();
        Admin = await Host.CreateUserAsync();
        Member = await Host.CreateUserAsync("max@parley.test", "Max Member", isAdmin: false);
        AdminToken = await Host.CreateTokenAsync(Admin.Id);
        MemberToken = await Host.CreateTokenAsync(Member.Id);
        // Read and mailgate tokens belong to the admin, so only their scope can be what refuses them.
        ReadToken = await Host.CreateTokenAsync(Admin.Id, ApiTokenScope.Read);
        MailgateToken = await Host.CreateTokenAsync(Admin.Id, ApiTokenScope.Mailgate);
        ExpiredToken = await Host.CreateTokenAsync(Admin.Id, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        await using (var scope = Host.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            await db.ApiTokens.Where(t => t.ExpiresAt != null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }
        await Host.SetAliasDomainAsync("mail.parley.test");

        using var admin = Host.Client(AdminToken);
        ContactId = (await Json.ReadAsync(await admin.Post("/api/v1/contacts", new { name = "Ana Lima", email = "ana@customer.test" }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
        TemplateId = (await Json.ReadAsync(await admin.Post("/api/v1/templates", new { name = "Hello", recordType = "contact", subject = "Hello", body = "Hi {{record.name}}" }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public HttpClient Client(string token) => Host.Client(token);
}

/// <summary>
/// Who may call which API group, through real HTTP. The groups and their policy are one table
/// (<see cref="EndpointPolicyTests.Expected"/>); every group there has a probe here.
/// </summary>
public sealed class AccessTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    /// <summary>One harmless request per endpoint group that answers 2xx for a caller who may use the group.</summary>
    public static readonly (string Group, string Method, string Path, string? Json)[] Probes =
    [
        ("/api/v1/contacts", "GET", "/api/v1/contacts", null),
        ("/api/v1/records", "GET", "/api/v1/records/contact/{contact}/messages", null),
        ("/api/v1/records", "GET", "/api/v1/records/contact/{contact}/followers", null),
        ("/api/v1/templates", "GET", "/api/v1/templates", null),
        ("/api/v1/outbox", "GET", "/api/v1/outbox", null),
        ("/api/v1/mailings", "POST", "/api/v1/mailings", """{"templateId": {template}, "contactIds": [{contact}]}"""),
        ("/api/v1/spam-tests", "GET", "/api/v1/spam-tests", null),
        ("/api/v1/tokens", "GET", "/api/v1/tokens", null),
        ("/api/v1/settings", "GET", "/api/v1/settings/alias-domain", null),
        ("/api/v1/record-types", "GET", "/api/v1/record-types", null),
        ("/api/v1/settings", "GET", "/api/v1/settings/host", null),
        ("/api/v1/outgoing-servers", "GET", "/api/v1/outgoing-servers", null),
        ("/api/v1/domains", "GET", "/api/v1/domains", null),
        ("/api/v1/inbound", "GET", "/api/v1/inbound/stats", null),
        ("/api/v1/inbound", "GET", "/api/v1/inbound/settings", null),
        ("/api/v1/inbound", "GET", "/api/v1/inbound/aliases", null),
        ("/api/v1/fetch-accounts", "GET", "/api/v1/fetch-accounts", null),
        ("/api/v1/suppressions", "GET", "/api/v1/suppressions", null),
        ("/api/v1/reports", "GET", "/api/v1/reports", null),
        ("/api/v1/cluster", "GET", "/api/v1/cluster", null),
        ("/api/v1/inbound/raw", "POST", "/api/v1/inbound/raw", null),
    ];

    public static TheoryData<string, string, string> ProbeData()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (group, method, path, _) in Probes)
        {
            data.Add(group, method, path);
        }

        return data;
    }

    /// <summary>Writes to admin groups a member must not make (the body is never looked at: refusal comes first).</summary>
    public static TheoryData<string, string> AdminWrites => new()
    {
        { "PUT", "/api/v1/settings/alias-domain" },
        { "POST", "/api/v1/record-types" },
        { "PUT", "/api/v1/settings/host" },
        { "POST", "/api/v1/outgoing-servers" },
        { "DELETE", "/api/v1/outgoing-servers/1" },
        { "POST", "/api/v1/domains" },
        { "POST", "/api/v1/domains/shop.example/dkim/rotate" },
        { "PUT", "/api/v1/inbound/settings" },
        { "POST", "/api/v1/inbound/aliases" },
        { "POST", "/api/v1/inbound/1/assign" },
        { "POST", "/api/v1/fetch-accounts" },
        { "POST", "/api/v1/suppressions" },
        { "DELETE", "/api/v1/suppressions/ana@customer.test" },
        { "POST", "/api/v1/reports" },
        { "POST", "/api/v1/inbound/raw" },
    };

    [Theory]
    [MemberData(nameof(ProbeData))]
    public async Task A_members_token_gets_member_groups_and_a_403_problem_on_admin_groups(string group, string method, string path)
    {
        await AssertAllowedOrRefusedAsync(fixture.MemberToken, method, path, allowed: EndpointPolicyTests.PolicyOf(group) == "member", "administrator");
    }

    [Theory]
    [MemberData(nameof(ProbeData))]
    public async Task An_admins_full_token_gets_every_group(string group, string method, string path)
    {
        _ = group;
        await AssertAllowedAsync(await SendAsync(fixture.AdminToken, method, path));
    }

    [Theory]
    [MemberData(nameof(AdminWrites))]
    public async Task A_members_token_cannot_change_what_admins_manage(string method, string path)
    {
        await AssertRefusedAsync(await SendAsync(fixture.MemberToken, method, path, "{}"), "administrator");
    }

    [Theory]
    [MemberData(nameof(ProbeData))]
    public async Task A_read_token_reads_every_group_it_may_but_writes_nothing(string group, string method, string path)
    {
        _ = group;
        await AssertAllowedOrRefusedAsync(fixture.ReadToken, method, path, allowed: method == "GET", "read-only");
    }

    [Fact]
    public async Task A_read_token_cannot_post_put_or_delete()
    {
        using var api = fixture.Client(fixture.ReadToken);
        await AssertRefusedAsync(await api.Post("/api/v1/contacts", new { name = "Eve", email = "eve@customer.test" }), "read-only");
        await AssertRefusedAsync(await SendAsync(fixture.ReadToken, "PUT", $"/api/v1/contacts/{fixture.ContactId}", """{"name": "Eve", "email": "ana@customer.test"}"""), "read-only");
        await AssertRefusedAsync(await SendAsync(fixture.ReadToken, "DELETE", "/api/v1/tokens/1"), "read-only");
        var contact = await Json.ReadAsync(await api.GetAsync($"/api/v1/contacts/{fixture.ContactId}"), HttpStatusCode.OK);
        Assert.Equal("Ana Lima", contact.GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(ProbeData))]
    public async Task A_mailgate_token_may_only_post_raw_mail(string group, string method, string path)
    {
        await AssertAllowedOrRefusedAsync(fixture.MailgateToken, method, path, allowed: group == "/api/v1/inbound/raw", "mailgate");
    }

    [Fact]
    public async Task A_mailgate_token_cannot_write_records_either()
    {
        using var api = fixture.Client(fixture.MailgateToken);
        await AssertRefusedAsync(await api.Post("/api/v1/contacts", new { name = "Eve", email = "eve@customer.test" }), "mailgate");
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/attachments/1")).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_a_401()
    {
        using var api = fixture.Client(fixture.ExpiredToken);
        var response = await api.GetAsync("/api/v1/contacts");
        await Json.ReadAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_revoked_token_is_a_401_at_once()
    {
        var secret = await fixture.Host.CreateTokenAsync(fixture.Member.Id);
        using var api = fixture.Client(secret);
        await Json.ReadAsync(await api.GetAsync("/api/v1/contacts"), HttpStatusCode.OK);
        var id = await IdOfAsync(fixture.MemberToken, secret);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);

        await Json.ReadAsync(await api.GetAsync("/api/v1/contacts"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_member_lists_and_revokes_only_their_own_tokens_an_admin_everyones()
    {
        using var member = fixture.Client(fixture.MemberToken);
        var listed = await Json.ReadAsync(await member.GetAsync("/api/v1/tokens"), HttpStatusCode.OK);
        var own = listed.EnumerateArray().ToList();
        Assert.NotEmpty(own);
        Assert.All(own, t => Assert.Equal("max@parley.test", t.GetProperty("owner").GetString()));
        Assert.Equal(["createdAt", "expiresAt", "id", "lastUsedAt", "name", "owner", "prefix", "scope"], own[0].Names());
        Assert.DoesNotContain(fixture.MemberToken, listed.GetRawText());

        var adminTokens = await Json.ReadAsync(await fixture.Client(fixture.AdminToken).GetAsync("/api/v1/tokens"), HttpStatusCode.OK);
        Assert.Contains(adminTokens.EnumerateArray(), t => t.GetProperty("owner").GetString() == "max@parley.test");
        var scopes = adminTokens.EnumerateArray().Select(t => t.GetProperty("scope").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "full", "read", "mailgate" }, scopes);
        var adminsRead = adminTokens.EnumerateArray().First(t => t.GetProperty("scope").GetString() == "read").GetProperty("id").GetInt64();

        var refused = await member.DeleteAsync($"/api/v1/tokens/{adminsRead}");
        await Json.ReadAsync(refused, HttpStatusCode.NotFound);
        await Json.ReadAsync(await fixture.Client(fixture.ReadToken).GetAsync("/api/v1/contacts"), HttpStatusCode.OK);

        var spare = await fixture.Host.CreateTokenAsync(fixture.Member.Id);
        var spareId = await IdOfAsync(fixture.MemberToken, spare);
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client(fixture.AdminToken).DeleteAsync($"/api/v1/tokens/{spareId}")).StatusCode);
        await Json.ReadAsync(await fixture.Client(spare).GetAsync("/api/v1/contacts"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_tokens_last_use_is_recorded_soon_after_it_is_used()
    {
        var secret = await fixture.Host.CreateTokenAsync(fixture.Member.Id);
        var id = await IdOfAsync(secret, secret); // this call is the token's first use

        // Recorded in the background: wait for it, checking with another token so as not to add uses.
        var lastUsed = await Eventually.UntilAsync(() => LastUsedAsync(id), used => used is not null, TimeSpan.FromSeconds(10),
            "the token's last use is recorded");
        Assert.InRange(lastUsed!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    private async Task<DateTimeOffset?> LastUsedAsync(long tokenId)
    {
        var tokens = await Json.ReadAsync(await fixture.Client(fixture.AdminToken).GetAsync("/api/v1/tokens"), HttpStatusCode.OK);
        var used = tokens.EnumerateArray().Single(t => t.GetProperty("id").GetInt64() == tokenId).GetProperty("lastUsedAt");
        return used.ValueKind == System.Text.Json.JsonValueKind.Null ? null : used.GetDateTimeOffset();
    }

    [Fact]
    public async Task A_members_token_cannot_be_a_mailgate_token()
    {
        await using var scope = fixture.Host.App.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
        var e = await Assert.ThrowsAsync<Core.Common.InvalidInputException>(() => tokens.CreateAsync(fixture.Member.Id, "sneaky", ApiTokenScope.Mailgate, null, default));
        Assert.Contains("scope", e.Errors.Keys);
    }

    /// <summary>The id of the token whose secret starts with the listed prefix (as a user would recognise it).</summary>
    private async Task<long> IdOfAsync(string listWith, string secret)
    {
        var tokens = await Json.ReadAsync(await fixture.Client(listWith).GetAsync("/api/v1/tokens"), HttpStatusCode.OK);
        return tokens.EnumerateArray().Single(t => secret.StartsWith(t.GetProperty("prefix").GetString()!, StringComparison.Ordinal)).GetProperty("id").GetInt64();
    }

    private async Task<HttpResponseMessage> SendAsync(string token, string method, string path, string? json = null)
    {
        using var api = fixture.Client(token);
        var probe = Probes.FirstOrDefault(p => p.Path == path && p.Method == method);
        var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (path == "/api/v1/inbound/raw")
        {
            request.Content = new StringContent("From: a@customer.test\r\nTo: support@mail.parley.test\r\nSubject: hi\r\n\r\nhello\r\n", Encoding.ASCII, "message/rfc822");
        }
        else if ((json ?? probe.Json) is { } body)
        {
            request.Content = new StringContent(Fill(body), Encoding.UTF8, "application/json");
        }

        return await api.SendAsync(request);
    }

    private string Fill(string text) => text
        .Replace("{contact}", fixture.ContactId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Replace("{template}", fixture.TemplateId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Sends the probe with <paramref name="token"/>: allowed, or refused with a problem that names <paramref name="refusal"/>.</summary>
    private async Task AssertAllowedOrRefusedAsync(string token, string method, string path, bool allowed, string refusal)
    {
        var response = await SendAsync(token, method, path);
        if (allowed)
        {
            await AssertAllowedAsync(response);
        }
        else
        {
            await AssertRefusedAsync(response, refusal);
        }
    }

    private static async Task AssertAllowedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected 2xx, got {(int)response.StatusCode}: {text}");
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string why)
    {
        var problem = await Json.ReadAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.Contains(why, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
