using System.Net;
using System.Net.Http.Json;
using Parley.Smtp.Delivery;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests;

/// <summary>
/// An outgoing server with security "none" and a login, tested through the API against a relay that offers AUTH in
/// plain text. The relay listens on 127.0.0.1 but is configured as relay.example.com and reached through
/// SmtpDelivery:RelayHostAddresses (a hosts-file entry): loopback names are exempt from the refusal, so naming the
/// relay 127.0.0.1 would test the exemption instead.
/// </summary>
public sealed class PlainTextLoginApiTests : IAsyncLifetime
{
    private const string Password = "s3cret-Pa55word";
    private readonly PlainAuthRelay _relay = PlainAuthRelay.Start();
    private ParleyHost _host = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _host = await ParleyHost.StartAsync(configure: builder =>
            builder.Services.Configure<SmtpDeliveryOptions>(o => o.RelayHostAddresses["relay.example.com"] = "127.0.0.1"));
        var admin = await _host.CreateUserAsync();
        _api = _host.Client(await _host.CreateTokenAsync(admin.Id));
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _host.DisposeAsync();
        await _relay.DisposeAsync();
    }

    [Fact]
    public async Task The_relay_test_refuses_to_log_in_in_plain_text_until_the_admin_allows_it()
    {
        var created = await Json.ReadAsync(await _api.Post("/api/v1/outgoing-servers",
            new { name = "Office relay", host = "relay.example.com", port = _relay.Port, security = "none", username = "parley", password = Password }),
            HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();

        var refused = await Json.ReadAsync(await _api.Post($"/api/v1/outgoing-servers/{id}/test", new { }), HttpStatusCode.OK);
        Assert.False(refused.GetProperty("success").GetBoolean());
        Assert.Equal(
            "Parley did not send the password to relay.example.com because the connection is not encrypted: choose STARTTLS or TLS, or allow plain-text login.",
            refused.GetProperty("response").GetString());
        Assert.Equal(1, _relay.Sessions);
        Assert.DoesNotContain("AUTH", _relay.Received);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"\0parley\0{Password}")), _relay.Received);

        var listed = await Json.ReadAsync(await _api.GetAsync("/api/v1/outgoing-servers"), HttpStatusCode.OK);
        Assert.False(listed.EnumerateArray().Single(s => s.GetProperty("id").GetInt64() == id).GetProperty("allowPlainTextLogin").GetBoolean());

        var changed = await Json.ReadAsync(await _api.PutAsJsonAsync($"/api/v1/outgoing-servers/{id}",
            new { name = "Office relay", host = "relay.example.com", port = _relay.Port, security = "none", username = "parley", allowPlainTextLogin = true }),
            HttpStatusCode.OK);
        Assert.True(changed.GetProperty("allowPlainTextLogin").GetBoolean());
        var allowed = await Json.ReadAsync(await _api.Post($"/api/v1/outgoing-servers/{id}/test", new { }), HttpStatusCode.OK);
        Assert.True(allowed.GetProperty("success").GetBoolean(), allowed.GetProperty("response").GetString());
        Assert.Contains("AUTH ", _relay.Received);
    }
}
