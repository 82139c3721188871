using Microsoft.Extensions.Options;
using Parley.Auth;
using Parley.Core.Doctor;
using Parley.Core.Fetch;
using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Core.Templates;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Parley.Smtp.Delivery;
using Parley.Smtp.Listener;

namespace Parley.Hosting;

/// <summary>
/// Every options class, bound from configuration (appsettings.json, then environment variables such as
/// <c>Outbox__Lease=00:01:00</c>) by the section it names, in one place, and validated when the host starts: a value
/// that cannot work stops <c>serve</c> with its reason (exit 78). Parley's own defaults are set before the binding and
/// serve's flags after it (<see cref="SmtpIntegration"/>), so configuration beats the first and the flags beat both.
/// README's "Configuration" list is checked against <see cref="Sections"/> (tests/Parley.Tests/Hosting/ConfigurationReadmeTests.cs).
/// </summary>
public static class ParleyOptions
{
    public static readonly IReadOnlyList<OptionsSection> Sections =
    [
        OptionsSection.Of<OutboxOptions>(OutboxOptions.Section),
        OptionsSection.Of<SmtpDeliveryOptions>(SmtpDeliveryOptions.Section),
        // serve builds (and so validates) it before migrating the database, where a bad value is reported best
        // (ParleyServer.RunAsync); at every other start it would only make a TLS certificate for a listener that does not run.
        OptionsSection.Of<SmtpListenerOptions>(SmtpListenerOptions.Section, validateOnStart: false),
        OptionsSection.Of<InboundOptions>(InboundOptions.Section),
        OptionsSection.Of<FetchOptions>(FetchOptions.Section),
        OptionsSection.Of<TemplateLimits>(TemplateLimits.Section),
        OptionsSection.Of<Parley.Core.Mailings.MailingOptions>(Parley.Core.Mailings.MailingOptions.Section),
        OptionsSection.Of<DnsOptions>(DnsOptions.Section),
        OptionsSection.Of<DoctorOptions>(DoctorOptions.Section),
        OptionsSection.Of<DoctorScheduleOptions>(DoctorScheduleOptions.Section),
        OptionsSection.Of<Core.SpamTest.SpamTestOptions>(Core.SpamTest.SpamTestOptions.Section),
        OptionsSection.Of<LoginThrottleOptions>(LoginThrottleOptions.Section),
        OptionsSection.Of<SetupOptions>(SetupOptions.Section),
        OptionsSection.Of<Core.Data.Cluster.ClusterOptions>(Core.Data.Cluster.ClusterOptions.Section),
    ];

    public static IServiceCollection AddParleyOptions(this IServiceCollection services, IConfiguration configuration)
    {
        foreach (var section in Sections)
        {
            section.Bind(services, configuration);
        }

        return services;
    }
}

/// <summary>One options class and the configuration section it is bound from.</summary>
public sealed class OptionsSection
{
    private OptionsSection(string name, Type type, Action<IServiceCollection, IConfiguration> bind) => (Name, Type, Bind) = (name, type, bind);

    /// <summary>The section's path, e.g. "Doctor:Schedule" (environment variables: Doctor__Schedule__Interval).</summary>
    public string Name { get; }

    public Type Type { get; }

    public Action<IServiceCollection, IConfiguration> Bind { get; }

    public static OptionsSection Of<T>(string name, bool validateOnStart = true) where T : class => new(name, typeof(T), (services, configuration) =>
    {
        var options = services.AddOptions<T>()
            .Configure(options => BindOrExplain(configuration.GetSection(name), options))
            .ValidateDataAnnotations();
        if (validateOnStart)
        {
            options.ValidateOnStart();
        }
    });

    /// <summary>A value the binder cannot convert ("Outbox:BatchSize" = "many") is a configuration error, not a crash.</summary>
    private static void BindOrExplain(IConfigurationSection section, object options)
    {
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new StartupConfigurationException($"{e.Message.TrimEnd('.')}. Fix it in appsettings.json or the environment (e.g. {section.Path.Replace(":", "__", StringComparison.Ordinal)}__…).", e);
        }
    }
}
