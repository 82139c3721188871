using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Core.Identity;
using Parley.Core.Settings;
using Parley.Hosting;
using Parley.Smtp.Listener;

namespace Parley.Testing;

/// <summary>
/// The real Parley host (<see cref="ParleyServer.Build"/>) in this test process, on a temp data directory and free
/// loopback ports (web, API, SMTP listener). Use <see cref="ServeAsync"/> for the whole Parley as `parley serve` runs
/// it (workers on, an admin and an API token ready in <see cref="Api"/>), and <see cref="StartAsync"/> for requests,
/// pages and sign-in without background work or users. Use <c>ParleyProcess</c> instead when a test must kill the
/// process or run a verb. Stopped, and its data directory deleted, on dispose.
/// </summary>
public sealed class ParleyHost : IAsyncDisposable
{
    /// <summary>The admin <see cref="ServeAsync"/> seeds.</summary>
    public const string AdminEmail = "admin@parley.test";

    /// <summary>The password of that admin and of every user made with <see cref="CreateUserAsync"/>.</summary>
    public const string Password = "correct horse battery";

    private readonly bool _keepDataDir;
    private HttpClient? _api;
    private SmtpListener? _listener;

    private ParleyHost(WebApplication app, string dataDir, Uri baseUrl, bool keepDataDir) =>
        (App, DataDir, BaseUrl, _keepDataDir) = (app, dataDir, baseUrl, keepDataDir);

    public WebApplication App { get; }
    public IServiceProvider Services => App.Services;
    public string DataDir { get; }
    public Uri BaseUrl { get; }
    public int SmtpPort => Services.GetRequiredService<SmtpListener>().Port;

    /// <summary>An API client with a token of the admin that <see cref="ServeAsync"/> seeded or found.</summary>
    public HttpClient Api => _api ?? throw new InvalidOperationException("This host has no admin token: start it with ServeAsync, or make one with CreateTokenAsync.");

    /// <summary>Web, API and SMTP listener, with no workers and no users.</summary>
    /// <param name="options">Changes to serve's options (e.g. trusted proxies).</param>
    /// <param name="configure">Configuration or services to set on the host (e.g. a fake clock).</param>
    /// <param name="keepDataDir">True to start another host on the same data directory later (a restart).</param>
    public static Task<ParleyHost> StartAsync(string? dataDir = null, Func<ServeOptions, ServeOptions>? options = null,
        Action<WebApplicationBuilder>? configure = null, bool keepDataDir = false) =>
        LaunchAsync(dataDir ?? NewDataDir(), serve => options?.Invoke(serve with { RunWorkers = false }) ?? serve with { RunWorkers = false },
            configure, keepDataDir);

    /// <summary>The whole Parley as `parley serve` runs it: workers on, quiet logs, no scheduled doctor runs mid-test.</summary>
    /// <param name="options">Changes to serve's options (database, DNS server, TLS certificate…).</param>
    /// <param name="seedAdmin">False for a second node on a database whose admin already exists (it gets its own token),
    /// or for an installation not set up yet (then <see cref="Api"/> has no token).</param>
    /// <param name="configure">Configuration or services to set on the host, after the test defaults.</param>
    public static async Task<ParleyHost> ServeAsync(Func<ServeOptions, ServeOptions>? options = null, bool seedAdmin = true, Action<WebApplicationBuilder>? configure = null)
    {
        var host = await LaunchAsync(NewDataDir(), options ?? (serve => serve), builder =>
        {
            builder.Configuration["Doctor:Schedule:Enabled"] = "false"; // no surprise doctor runs and admin emails mid-test
            builder.Logging.SetMinimumLevel(LogLevel.Warning); // keep CI output readable
            configure?.Invoke(builder);
        }, keepDataDir: false);
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        var admin = seedAdmin
            ? await users.CreateAsync("Alice Admin", AdminEmail, Password, true, default)
            : await users.VerifyPasswordAsync(AdminEmail, Password, default);
        if (admin is not null)
        {
            host._api = host.ClientWithRedirects(await host.CreateTokenAsync(admin.Id));
        }

        return host;
    }

    private static async Task<ParleyHost> LaunchAsync(string dataDir, Func<ServeOptions, ServeOptions> options,
        Action<WebApplicationBuilder>? configure, bool keepDataDir)
    {
        var serve = options(new ServeOptions { DataDir = dataDir, Urls = "http://127.0.0.1:0", SmtpListen = "127.0.0.1:0" });
        // Nodes of one PostgreSQL database share its key ring through the database, as in production (ADR 0025).
        if (serve.Database is not null && !Parley.Data.Postgres.PostgresStorage.IsPostgresConnectionString(serve.Database))
        {
            ShareKeysOfDatabase(dataDir, serve.Database);
        }

        var app = ParleyServer.Build(serve, configure);
        await StorageSetup.MigrateAsync(app.Services, default);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        if (!address.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Parley listens on {address}, not on loopback.");
        }

        return new ParleyHost(app, dataDir, new Uri(address), keepDataDir);
    }

    public static string NewDataDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "parley-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// Hosts started one after another on one SQLite file (a restart with a new data directory) share the Data
    /// Protection keys folder: the signing keys and relay passwords in the database are encrypted with them.
    /// </summary>
    private static void ShareKeysOfDatabase(string dataDir, string database)
    {
        var id = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(database)))[..16];
        var shared = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "parley-tests-keys-" + id));
        Directory.CreateDirectory(dataDir);
        Directory.CreateSymbolicLink(Path.Combine(dataDir, "keys"), shared.FullName);
    }

    public async Task<User> CreateUserAsync(string email = "ada@parley.test", string name = "Ada Admin", bool isAdmin = true)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(name, email, Password, isAdmin, default);
    }

    public async Task<int> UserCountAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Parley.Core.Data.ParleyDbContext>().Users.CountAsync();
    }

    public async Task<string> CreateTokenAsync(long userId, ApiTokenScope scope = ApiTokenScope.Full, DateTimeOffset? expiresAt = null)
    {
        await using var services = Services.CreateAsyncScope();
        var (_, secret) = await services.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userId, $"tests ({scope})", scope, expiresAt, default);
        return secret;
    }

    public async Task SetAliasDomainAsync(string domain)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SettingsService>().SetAliasDomainAsync(domain, default);
    }

    /// <summary>A client that does not follow redirects (so a test sees them), with <paramref name="token"/> if given.</summary>
    public HttpClient Client(string? token = null) =>
        WithToken(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) }, token);

    /// <summary>Creates another user and an API client that acts as them (for routing by author).</summary>
    public async Task<HttpClient> ClientForNewUserAsync(string name, string email)
    {
        var user = await CreateUserAsync(email, name, isAdmin: false);
        return ClientWithRedirects(await CreateTokenAsync(user.Id));
    }

    private HttpClient ClientWithRedirects(string token) =>
        WithToken(new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) }, token);

    private static HttpClient WithToken(HttpClient client, string? token)
    {
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await Api.PostAsJsonAsync(path, body);
        return await ReadAsync(response, "POST", path, allowEmpty: true);
    }

    public async Task<JsonElement> PutAsync(string path, object body)
    {
        using var response = await Api.PutAsJsonAsync(path, body);
        return await ReadAsync(response, "PUT", path, allowEmpty: true);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Api.GetAsync(path);
        return await ReadAsync(response, "GET", path, allowEmpty: false);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string method, string path, bool allowEmpty)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} → {(int)response.StatusCode}: {text}");
        }

        return allowEmpty && text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Waits until a message in the record's timeline satisfies the condition, and returns it.</summary>
    public async Task<JsonElement> WaitForMessageAsync(string recordPath, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        var timeline = await Eventually.UntilAsync(() => GetAsync($"{recordPath}/messages"), t => t.EnumerateArray().Any(condition),
            timeout ?? TimeSpan.FromSeconds(20), $"a message in {recordPath} matches");
        return timeline.EnumerateArray().First(condition);
    }

    /// <summary>Waits until GET /api/v1/inbound/stats satisfies the condition, and returns those stats.</summary>
    public Task<JsonElement> WaitForInboundStatsAsync(Func<JsonElement, bool> condition, string because, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => GetAsync("/api/v1/inbound/stats"), condition, timeout ?? TimeSpan.FromSeconds(20), because);

    /// <summary>Starts the SMTP listener (workers are off in the test host) on a free loopback port; stopped on dispose.</summary>
    public async Task<SmtpListener> StartSmtpListenerAsync()
    {
        _listener = Services.GetRequiredService<SmtpListener>();
        await _listener.StartAsync(default);
        return _listener;
    }

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_listener is not null)
        {
            await _listener.StopAsync(default);
        }

        await App.StopAsync();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_keepDataDir)
        {
            return;
        }
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by SQLite's pool; the OS temp cleaner gets it.
        }
    }
}
