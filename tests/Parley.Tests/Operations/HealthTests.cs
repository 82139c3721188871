using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Parley.Smtp.Listener;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Operations;

/// <summary>
/// /healthz and /readyz of a real host with its listener and workers running: public, a status per check, 503 when a
/// check fails — the listener stopped, or the outbox worker stuck in a delivery to a relay that never answers while
/// the email waits.
/// </summary>
public sealed class HealthTests : IAsyncLifetime
{
    private ParleyHost _host = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _host = await ParleyHost.StartAsync(options: o => o with { RunWorkers = true }, configure: builder =>
        {
            builder.Configuration["Health:StallAfter"] = "00:00:01";
            builder.Configuration["Doctor:Schedule:Enabled"] = "false";
            // A delivery stuck on the silent relay is abandoned when the test ends, not waited for.
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        });
        _anonymous = _host.Client();
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _anonymous.GetAsync(path);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static string StatusOf(JsonElement body, string check) => body.GetProperty("checks").GetProperty(check).GetProperty("status").GetString()!;

    [Fact]
    public async Task Both_answer_without_a_login_even_before_the_first_admin_exists()
    {
        var (alive, aliveBody) = await GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, alive);
        Assert.Equal("healthy", aliveBody.GetProperty("status").GetString());

        var (ready, body) = await GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal(["database", "smtp-listener", "workers"], body.GetProperty("checks").Names());
        Assert.All(["database", "smtp-listener", "workers"], c => Assert.Equal("healthy", StatusOf(body, c)));
    }

    [Fact]
    public async Task A_stopped_listener_makes_readyz_503_and_says_which_check()
    {
        await _host.App.Services.GetRequiredService<SmtpListener>().StopAsync(default);

        var (ready, body) = await GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("unhealthy", StatusOf(body, "smtp-listener"));
        Assert.Equal("not accepting connections", body.GetProperty("checks").GetProperty("smtp-listener").GetProperty("detail").GetString());
        Assert.Equal("healthy", StatusOf(body, "database"));
        // Liveness is not readiness: the process still answers.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/healthz")).Status);
    }

    [Fact]
    public async Task An_outbox_worker_stuck_in_a_delivery_while_mail_waits_is_stalled()
    {
        // A relay that accepts the connection and never greets: the delivery waits on its SMTP timeout (minutes).
        using var silentRelay = new TcpListener(IPAddress.Loopback, 0);
        silentRelay.Start();
        var held = new System.Collections.Concurrent.ConcurrentQueue<Socket>();
        var accepting = Task.Run(async () => { while (true) { held.Enqueue(await silentRelay.AcceptSocketAsync()); } });

        var admin = await _host.CreateUserAsync();
        using var api = _host.Client(await _host.CreateTokenAsync(admin.Id));
        await _host.SetAliasDomainAsync("mail.parley.test");
        await Json.ReadAsync(await api.Post("/api/v1/outgoing-servers",
            new { name = "silent", host = "127.0.0.1", port = ((IPEndPoint)silentRelay.LocalEndpoint).Port, security = "none" }), HttpStatusCode.Created);
        var contact = await Json.ReadAsync(await api.Post("/api/v1/contacts", new { name = "Ana Lima", email = "ana@customer.test" }), HttpStatusCode.Created);
        await Json.ReadAsync(await api.Post($"/api/v1/records/contact/{contact.GetProperty("id").GetInt64()}/messages",
            new { kind = "email", subject = "Hello", body = "Hi Ana" }), HttpStatusCode.Accepted);

        // Stalled once the delivery hangs: the loop is silent past the bound (1 s here) while the mail is due.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (held.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(held.IsEmpty, "Parley never connected to the silent relay");
        (HttpStatusCode Status, JsonElement Body) ready = default;
        while (DateTime.UtcNow < deadline)
        {
            ready = await GetAsync("/readyz");
            if (ready.Status == HttpStatusCode.ServiceUnavailable)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Equal("unhealthy", StatusOf(ready.Body, "workers"));
        Assert.StartsWith("outbox worker stalled (no progress for ", ready.Body.GetProperty("checks").GetProperty("workers").GetProperty("detail").GetString());
        Assert.Equal("healthy", StatusOf(ready.Body, "smtp-listener"));
        foreach (var socket in held)
        {
            socket.Dispose();
        }
    }
}
