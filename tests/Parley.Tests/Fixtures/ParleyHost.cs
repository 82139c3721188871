using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
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
    private ParleyHost(WebApplication app, string dataDir, Uri address)
    {
        App = app;
        DataDir = dataDir;
        Address = address;
    }

    public WebApplication App { get; }
    public string DataDir { get; }
    public Uri Address { get; }

    /// <param name="configure">More set-up of the host, e.g. options a test needs.</param>
    public static async Task<ParleyHost> StartAsync(string? dataDir = null, Action<WebApplicationBuilder>? configure = null)
    {
        dataDir ??= NewDataDir();
        var app = ParleyServer.Build(
            new ServeOptions { DataDir = dataDir, Urls = "http://127.0.0.1:0", SmtpListen = "127.0.0.1:0", RunWorkers = false },
            builder =>
            {
                // The test runner, not parley, is the entry assembly: point MVC at parley's pages.
                builder.Services.AddRazorPages().AddApplicationPart(typeof(ParleyServer).Assembly);
                configure?.Invoke(builder);
            });
        await StorageSetup.MigrateAsync(app.Services, default);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Assert.StartsWith("http://127.0.0.1:", address);
        return new ParleyHost(app, dataDir, new Uri(address));
    }

    public static string NewDataDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "parley-api-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public async Task<User> CreateUserAsync(string email = "ada@parley.test", string name = "Ada Admin")
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(name, email, "correct horse battery", true, default);
    }

    public async Task<string> CreateTokenAsync(long userId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var (_, secret) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userId, "tests", default);
        return secret;
    }

    public async Task SetAliasDomainAsync(string domain)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SettingsService>().SetAliasDomainAsync(domain, default);
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
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
