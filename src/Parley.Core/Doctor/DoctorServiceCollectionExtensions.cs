using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;

namespace Parley.Core.Doctor;

public static class DoctorServiceCollectionExtensions
{
    /// <summary>The doctor over Parley's DNS resolver, the setup builder, runs and change events.</summary>
    public static IServiceCollection AddParleyDoctor(this IServiceCollection services)
    {
        services.AddParleyDns();
        services.AddOptions<DoctorOptions>();
        services.AddOptions<DoctorScheduleOptions>().BindConfiguration("Doctor:Schedule");
        services.AddOptions<DoctorEmailOptions>().BindConfiguration("Doctor");
        services.AddSingleton(sp => new DomainDoctor(
            sp.GetRequiredService<IDnsResolver>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<DoctorOptions>>().Value));
        services.AddScoped<DoctorSetupBuilder>();
        services.AddScoped<DoctorNotifier>();
        services.AddScoped<DoctorRunService>();
        services.AddSingleton<ScheduledDoctor>();
        return services;
    }
}
