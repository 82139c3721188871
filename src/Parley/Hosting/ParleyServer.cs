using Parley.Api;
using Parley.Auth;
using Parley.Core;
using Parley.Live;

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
        builder.WebHost.UseUrls(options.Urls.Split([';', ','], StringSplitOptions.RemoveEmptyEntries));
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Keys live unencrypted in the data directory by design (protect that directory); the warning would only alarm.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        // The demo mails nobody: the doctor's findings stay in the chatter instead of going to admin@demo.parley.test.
        if (options.Demo) builder.Configuration["Doctor:EmailAdmins"] = "false";
        builder.Services.AddSingleton(options);
        builder.Services.AddParleyStorage(options);
        builder.Services.AddParleyCore();
        // Queue tuning from configuration, e.g. the environment variable Outbox__Lease=00:01:00.
        builder.Services.Configure<Core.Outbound.OutboxOptions>(builder.Configuration.GetSection("Outbox"));
        builder.Services.Configure<Smtp.Delivery.SmtpDeliveryOptions>(builder.Configuration.GetSection("SmtpDelivery"));
        builder.Services.Configure<Core.Templates.TemplateLimits>(builder.Configuration.GetSection("Templates"));
        if (options.RunWorkers) builder.Services.AddParleyWorkers();
        builder.Services.AddParleySmtpIntegration(options);
        builder.Services.AddParleyAuth();
        builder.Services.AddParleyForwardedHeaders(options.TrustedProxies);
        builder.Services.Configure<LoginThrottleOptions>(builder.Configuration.GetSection("LoginThrottle"));
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddHostedService<SetupCodeAnnouncer>();
        builder.Services.AddParleyApi();
        builder.Services.AddRazorPages(o =>
        {
            // Members work with records, templates and the outbox; what changes how this installation sends and
            // receives mail is for admins (Auth/ParleyPolicies.cs). A test checks every page names one of them.
            o.Conventions.AuthorizeFolder("/", ParleyPolicies.Member);
            o.Conventions.AuthorizeFolder("/Domains", ParleyPolicies.Admin);
            o.Conventions.AuthorizeFolder("/Deliverability", ParleyPolicies.Admin);
            o.Conventions.AuthorizeFolder("/Inbound", ParleyPolicies.Admin);
            o.Conventions.AuthorizePage("/Outbox/Suppressed", ParleyPolicies.Admin);
            o.Conventions.AuthorizePage("/Settings/Index", ParleyPolicies.Admin);
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Setup");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToFolder("/Unsubscribe");
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        // Without trusted proxies it stays out: with none listed, the middleware would believe any sender.
        if (options.TrustedProxies.Count > 0) app.UseForwardedHeaders();
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
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        return app;
    }

    /// <summary>Migrates the database, seeds demo data when asked, then runs until stopped.</summary>
    public static async Task<int> RunAsync(ServeOptions options, CancellationToken ct)
    {
        var app = Build(options);
        StorageSetup.LogDataDirectoryFixes(app.Services);
        // Settings that cannot work (an unreadable TLS certificate) fail here, with their own message, before the host
        // starts and reports them as a start-up crash.
        _ = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Smtp.Listener.SmtpListenerOptions>>().Value;
        try
        {
            await StorageSetup.MigrateAsync(app.Services, ct);
        }
        catch (System.Data.Common.DbException e)
        {
            var where = options.Database is { Length: > 0 } ? "the PostgreSQL database given with --database" : $"the SQLite database in {options.DataDir}";
            throw new StartupConfigurationException($"Parley could not open {where}: {e.Message.TrimEnd('.')}. Check that it is reachable and writable, then start Parley again.", e);
        }
        if (options.Demo) await Demo.DemoData.SeedAsync(app.Services, ct);
        await app.RunAsync(ct);
        return 0;
    }
}
