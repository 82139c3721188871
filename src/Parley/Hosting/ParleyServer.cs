using Parley.Api;
using Parley.Auth;
using Parley.Cluster;
using Parley.Core;
using Parley.Live;
using Parley.Mailboxes;
using Parley.Operations;

namespace Parley.Hosting;

/// <summary>Builds the one process that runs everything: web UI, REST API, SMTP listener and workers.</summary>
public static class ParleyServer
{
    public static WebApplication Build(ServeOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Named explicitly so Razor Pages are found when a test process hosts Parley.
            ApplicationName = typeof(ParleyServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.WebHost.UseUrls([.. options.Urls.Split([';', ','], StringSplitOptions.RemoveEmptyEntries), .. MetricsEndpoints.ExtraUrls(options)]);
        builder.Logging.AddParleyConsole(options.LogFormat);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Keys live unencrypted in the data directory by design (protect that directory); the warning would only alarm.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        // The demo mails nobody: the doctor's findings stay in the chatter instead of going to admin@demo.parley.test.
        if (options.Demo)
        {
            builder.Configuration["Doctor:Schedule:EmailAdmins"] = "false";
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddParleyStorage(options);
        builder.Services.AddSingleton<Core.Data.Cluster.INodeAddresses, Cluster.NodeAddresses>();
        builder.Services.AddParleyCore();
        builder.Services.AddParleyMailboxes();
        if (options.RunWorkers)
        {
            builder.Services.AddParleyWorkers();
        }

        builder.Services.AddParleySmtpIntegration(options);
        // After the integration's defaults (configuration overrides them); its flags are applied after this.
        builder.Services.AddParleyOptions(builder.Configuration);
        builder.Services.AddParleyNodeId(builder.Configuration, Path.GetFullPath(options.DataDir));
        builder.Services.AddParleyAuth();
        builder.Services.AddParleyForwardedHeaders(options.TrustedProxies);
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<Pages.UserTime>();
        builder.Services.AddHostedService<SetupCodeAnnouncer>();
        builder.Services.AddParleyApi();
        builder.Services.AddParleyHealth(options, builder.Configuration);
        builder.Services.AddParleyMetrics();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddRazorPages(o =>
        {
            // Members work with records, templates and the outbox; what changes how this installation sends and
            // receives mail is for admins (Auth/ParleyPolicies.cs). A test checks every page names one of them.
            o.Conventions.AuthorizeFolder("/", ParleyPolicies.Member);
            o.Conventions.AuthorizeFolder("/Domains", ParleyPolicies.Admin);
            o.Conventions.AuthorizeFolder("/Deliverability", ParleyPolicies.Admin);
            o.Conventions.AuthorizeFolder("/Inbound", ParleyPolicies.Admin);
            o.Conventions.AuthorizeFolder("/RecordTypes", ParleyPolicies.Admin);
            o.Conventions.AuthorizePage("/Outbox/Suppressed", ParleyPolicies.Admin);
            o.Conventions.AuthorizePage("/Settings/Index", ParleyPolicies.Admin);
            o.Conventions.AuthorizePage("/Settings/Server", ParleyPolicies.Admin);
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Setup");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToFolder("/Unsubscribe");
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseParleyMetricsListener(options);
        // Without trusted proxies it stays out: with none listed, the middleware would believe any sender.
        if (options.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseParleySecurityHeaders();
        app.UseParleyErrorPages();
        app.UseStaticFiles();
        app.UseMiddleware<FirstRunRedirect>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapParleyApi();
        app.MapRazorPages();
        app.MapChatterStream();
        app.MapAttachmentDownloads();
        app.MapParleyHealth();
        app.MapParleyMetrics(options);
        return app;
    }

    /// <summary>Migrates the database, seeds demo data when asked, then runs until stopped.</summary>
    public static async Task<int> RunAsync(ServeOptions options, CancellationToken cancellationToken)
    {
        var app = Build(options);
        StorageSetup.LogDataDirectoryFixes(app.Services);
        try
        {
            await StorageSetup.MigrateAsync(app.Services, cancellationToken);
        }
        catch (System.Data.Common.DbException e)
        {
            var where = options.Database is { Length: > 0 } ? "the PostgreSQL database given with --database" : $"the SQLite database in {options.DataDir}";
            throw new StartupConfigurationException($"Parley could not open {where}: {e.Message.TrimEnd('.')}. Check that it is reachable and writable, then start Parley again.", e);
        }
        // The stored host name first: the listener greets with it and its certificate is made for it.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Core.Settings.SettingsService>().GetHostSettingsAsync(cancellationToken);
        }
        // Settings that cannot work (an unreadable TLS certificate) fail here, with their own message, before the host
        // starts and reports them as a start-up crash.
        _ = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Smtp.Listener.SmtpListenerOptions>>().Value;
        if (options.Demo)
        {
            await Demo.DemoData.SeedAsync(app.Services, cancellationToken);
        }

        await app.RunAsync(cancellationToken);
        return 0;
    }
}
