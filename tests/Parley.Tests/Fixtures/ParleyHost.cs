using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Identity;
using Parley.Core.Settings;
using Parley.Hosting;

namespace Parley.Tests.Fixtures;

/// <summary>
/// The real Parley host (ParleyServer.Build), on a temp data directory with SQLite, bound to
/// 127.0.0.1 on a free port, workers off. Stopped and deleted on dispose.
/// </summary>
public sealed class ParleyHost : IAsyncDisposable
{
    private readonly bool _keepDataDir;
    private Smtp.Listener.SmtpListener? _listener;

    private ParleyHost(WebApplication app, string dataDir, Uri address, bool keepDataDir)
    {
        _keepDataDir = keepDataDir;
        App = app;
        DataDir = dataDir;
        Address = address;
    }

    /// <summary>The password of users made with <see cref="CreateUserAsync"/>.</summary>
    public const string Password = "correct horse battery";

    public WebApplication App { get; }
    public string DataDir { get; }
    public Uri Address { get; }

    /// <param name="options">Changes to serve's options (e.g. trusted proxies).</param>
    /// <param name="configure">Configuration or services to set on the host (e.g. a fake clock).</param>
    /// <param name="keepDataDir">True to start another host on the same data directory later (a restart).</param>
    public static async Task<ParleyHost> StartAsync(string? dataDir = null, Func<ServeOptions, ServeOptions>? options = null,
        Action<WebApplicationBuilder>? configure = null, bool keepDataDir = false)
    {
        dataDir ??= NewDataDir();
        var serve = new ServeOptions { DataDir = dataDir, Urls = "http://127.0.0.1:0", SmtpListen = "127.0.0.1:0", RunWorkers = false };
        var app = ParleyServer.Build(options?.Invoke(serve) ?? serve, builder =>
        {
            // The test runner, not parley, is the entry assembly: point MVC at parley's pages.
            builder.Services.AddRazorPages().AddApplicationPart(typeof(ParleyServer).Assembly);
            configure?.Invoke(builder);
        });
        await StorageSetup.MigrateAsync(app.Services, default);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Assert.StartsWith("http://127.0.0.1:", address);
        return new ParleyHost(app, dataDir, new Uri(address), keepDataDir);
    }

    public static string NewDataDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "parley-api-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public async Task<User> CreateUserAsync(string email = "ada@parley.test", string name = "Ada Admin", bool isAdmin = true)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(name, email, Password, isAdmin, default);
    }

    public async Task<int> UserCountAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Parley.Core.Data.ParleyDbContext>().Users.CountAsync();
    }

    public async Task<string> CreateTokenAsync(long userId, ApiTokenScope scope = ApiTokenScope.Full, DateTimeOffset? expiresAt = null)
    {
        await using var services = App.Services.CreateAsyncScope();
        var (_, secret) = await services.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userId, $"tests ({scope})", scope, expiresAt, default);
        return secret;
    }

    public async Task SetAliasDomainAsync(string domain)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SettingsService>().SetAliasDomainAsync(domain, default);
    }

    /// <summary>Starts the SMTP listener (workers are off in the test host) on a free loopback port; stopped on dispose.</summary>
    public async Task<Smtp.Listener.SmtpListener> StartSmtpListenerAsync()
    {
        _listener = App.Services.GetRequiredService<Smtp.Listener.SmtpListener>();
        await _listener.StartAsync(default);
        return _listener;
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null) await _listener.StopAsync(default);
        await App.StopAsync();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_keepDataDir) return;
        try { Directory.Delete(DataDir, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>One started host per test class, with an admin, a token and the alias domain set.</summary>
public sealed class ApiHostFixture : IAsyncLifetime
{
    public ParleyHost Host { get; private set; } = null!;
    public User Admin { get; private set; } = null!;
    public string Token { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await ParleyHost.StartAsync();
        Admin = await Host.CreateUserAsync();
        Token = await Host.CreateTokenAsync(Admin.Id);
        await Host.SetAliasDomainAsync("mail.parley.test");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
