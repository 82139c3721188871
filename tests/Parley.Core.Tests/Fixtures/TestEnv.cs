using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Core;
using Parley.Core.Contacts;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Core.Settings;
using Parley.Mailboxes;
using Parley.Smtp.Delivery;

namespace Parley.Core.Tests.Fixtures;

/// <summary>A fresh, migrated database of one provider, owned by one test.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    string Provider { get; }

    void Configure(DbContextOptionsBuilder options);
}

/// <summary>Hands out fresh migrated databases for one provider.</summary>
public interface IDatabaseFactory
{
    Task<ITestDatabase> CreateAsync();
}

/// <summary>
/// Core's services as the host wires them (AddParleyCore, and the mailbox clients), on a real database, with a fake
/// clock, a fake SMTP client and ephemeral data-protection keys.
/// </summary>
public sealed class TestEnv : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly List<ServiceProvider> _providers = [];
    private readonly IDataProtectionProvider _keys = new EphemeralDataProtectionProvider();

    private TestEnv(ITestDatabase database)
    {
        Database = database;
        Services = Build(Transport, "node-a", []);
    }

    public ITestDatabase Database { get; }
    public FakeTimeProvider Clock { get; } = new(Start);
    public FakeDeliveryClient Transport { get; } = new();
    public ServiceProvider Services { get; }

    public static async Task<TestEnv> CreateAsync(IDatabaseFactory factory) => new(await factory.CreateAsync());

    /// <summary>Another set of services on the same database (a second node), optionally with interceptors on its DbContext.</summary>
    /// <param name="configure">More services, e.g. a special inbox (registered after Parley's own).</param>
    public ServiceProvider Build(ISmtpDeliveryClient transport, string nodeName, IInterceptor[] interceptors, Action<OutboxOptions>? outbox = null,
        Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddParleyCore();
        services.AddParleyMailboxes();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(transport);
        services.AddSingleton(_keys); // shared, as nodes share a key ring
        services.AddDbContextPool<ParleyDbContext>(o =>
        {
            Database.Configure(o);
            if (interceptors.Length > 0)
            {
                o.AddInterceptors(interceptors);
            }
        });
        services.Configure<OutboxOptions>(o =>
        {
            o.NodeName = nodeName;
            outbox?.Invoke(o);
        });
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        _providers.Add(provider);
        return provider;
    }

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    /// <summary>Runs <paramref name="action"/> with a service from a fresh scope (a fresh DbContext).</summary>
    public async Task<TResult> With<TService, TResult>(Func<TService, Task<TResult>> action) where TService : notnull
    {
        await using var scope = Scope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task With<TService>(Func<TService, Task> action) where TService : notnull
    {
        await using var scope = Scope();
        await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<TResult> Db<TResult>(Func<ParleyDbContext, Task<TResult>> query) => With(query);

    public async Task<ActingUser> CreateUserAsync(string name = "Ada Admin", string email = "ada@parley.test") =>
        UserService.ToActing(await With<UserService, User>(u => u.CreateAsync(name, email, "correct horse battery", true, default)));

    public Task<Contact> CreateContactAsync(string name = "Ana Lima", string email = "ana@customer.test", string? company = "Lima & Co") =>
        With<ContactService, Contact>(c => c.CreateAsync(new ContactInput(name, email, company, "+351 1234", "vip, lead"), default));

    public Task SetAliasDomainAsync(string domain = "mail.parley.test") =>
        With<SettingsService>(s => s.SetAliasDomainAsync(domain, default));

    /// <summary>The bytes of raw MIME row <paramref name="rawMimeId"/> (an email's as sent, an inbound message's as received).</summary>
    public Task<byte[]> RawMimeAsync(long? rawMimeId) => Db(db => db.RawMimes.Where(r => r.Id == rawMimeId).Select(r => r.Content).SingleAsync());

    /// <summary>Stores <paramref name="raw"/> as the SMTP listener does on receiving it now; returns the inbound row's id.</summary>
    public Task<long> ReceiveAsync(byte[] raw, string mailFrom, IReadOnlyList<string> recipients, string helo = "client.customer.test", string clientAddress = "127.0.0.1") =>
        With<InboundStore, long>(s => s.StoreAsync(
            new InboundEnvelope(InboundEnvelope.Smtp, clientAddress, helo, mailFrom, recipients, Clock.GetUtcNow()), new MemoryStream(raw), default));

    /// <summary>Receives a message written as text (its line ends made CRLF, as on the wire).</summary>
    public Task<long> ReceiveAsync(string mime, string mailFrom, IReadOnlyList<string> recipients, string helo = "client.customer.test", string clientAddress = "127.0.0.1") =>
        ReceiveAsync(MimeText.Stream(mime).ToArray(), mailFrom, recipients, helo, clientAddress);

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
