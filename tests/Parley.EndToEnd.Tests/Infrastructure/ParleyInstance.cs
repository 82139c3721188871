using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Core.Identity;
using Parley.Hosting;
using Parley.Smtp.Listener;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A whole Parley (web, API, SMTP listener, workers) running in this process on free loopback
/// ports, with its own data directory, an admin user and an API token. Disposed by the test.
/// </summary>
public sealed class ParleyInstance : IAsyncDisposable
{
    public const string AdminEmail = "admin@parley.test";
    public const string AdminPassword = "correct-horse-battery";

    private readonly WebApplication _app;
    private readonly string _dataDir;

    private ParleyInstance(WebApplication app, string dataDir, Uri baseUrl, int smtpPort, HttpClient api)
    {
        _app = app;
        _dataDir = dataDir;
        BaseUrl = baseUrl;
        SmtpPort = smtpPort;
        Api = api;
    }

    public Uri BaseUrl { get; }
    public int SmtpPort { get; }
    /// <summary>Its data directory, for the command-line verbs that open the same installation.</summary>
    public string DataDir => _dataDir;
    /// <summary>Authenticated with a fresh token of the admin.</summary>
    public HttpClient Api { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="seedAdmin">False for a second node on a database whose admin already exists (it gets its own token),
    /// or for an installation not set up yet (then <see cref="Api"/> has no token).</param>
    /// <param name="smtpTlsCertificate">The listener's STARTTLS certificate file (serve's --smtp-tls-cert); null: self-signed.</param>
    public static async Task<ParleyInstance> StartAsync(string? database = null, string? dns = null, int directDeliveryPort = 25, bool seedAdmin = true,
        string? smtpTlsCertificate = null, string? smtpTlsKey = null, string? smtpName = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "parley-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        if (database is not null) ShareKeysOfDatabase(dataDir, database);
        var app = ParleyServer.Build(new ServeOptions
        {
            DataDir = dataDir,
            Database = database,
            Urls = "http://127.0.0.1:0",
            SmtpListen = "127.0.0.1:0",
            Dns = dns,
            DirectDeliveryPort = directDeliveryPort,
            SmtpName = smtpName,
            SmtpTlsCertificate = smtpTlsCertificate,
            SmtpTlsKey = smtpTlsKey,
        }, builder =>
        {
            builder.Configuration["Doctor:Schedule:Enabled"] = "false"; // no surprise doctor runs and admin emails mid-test
            builder.Logging.SetMinimumLevel(LogLevel.Warning); // keep CI output readable
        });
        await StorageSetup.MigrateAsync(app.Services, CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var smtpPort = app.Services.GetRequiredService<SmtpListener>().Port;

        string? secret;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserService>();
            var admin = seedAdmin
                ? await users.CreateAsync("Alice Admin", AdminEmail, AdminPassword, true, default)
                : await users.VerifyPasswordAsync(AdminEmail, AdminPassword, default);
            secret = admin is null ? null : (await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(admin.Id, "e2e", default)).Secret;
        }
        var api = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        if (secret is not null) api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return new ParleyInstance(app, dataDir, new Uri(address), smtpPort, api);
    }

    /// <summary>
    /// Nodes of one database share the Data Protection keys folder, as the README asks of a cluster: the signing keys
    /// and relay passwords in the database are encrypted with them. Each node keeps its own data directory otherwise.
    /// </summary>
    private static void ShareKeysOfDatabase(string dataDir, string database)
    {
        var id = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(database)))[..16];
        var shared = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "parley-e2e-keys-" + id));
        Directory.CreateDirectory(dataDir);
        Directory.CreateSymbolicLink(Path.Combine(dataDir, "keys"), shared.FullName);
    }

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await Api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} → {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> PutAsync(string path, object body)
    {
        using var response = await Api.PutAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PUT {path} → {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Creates another user and an API client that acts as them (for routing by author).</summary>
    public async Task<HttpClient> ClientForNewUserAsync(string name, string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(name, email, AdminPassword, false, default);
        var (_, secret) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(user.Id, "e2e", default);
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Api.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} → {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls the record's timeline until a message satisfies the condition (bounded in time).</summary>
    public async Task<JsonElement> WaitForMessageAsync(string recordPath, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetAsync($"{recordPath}/messages");
            foreach (var m in last.EnumerateArray())
                if (condition(m)) return m;
            await Task.Delay(100);
        }
        throw new TimeoutException($"No message matched in time. Timeline was: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (IOException) { /* a file still held open by SQLite's pool; the OS temp cleaner gets it */ }
    }
}
