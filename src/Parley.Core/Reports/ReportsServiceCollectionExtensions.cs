using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Inbound;
using Parley.Deliverability.Reports;

namespace Parley.Core.Reports;

public static class ReportsServiceCollectionExtensions
{
    /// <summary>Reports: the reader, the store, the reports inbox on the alias domain, and the domain overviews.</summary>
    public static IServiceCollection AddParleyReports(this IServiceCollection services)
    {
        services.AddSingleton(ReportLimits.Default);
        services.AddSingleton(sp => new ReportReader(sp.GetRequiredService<ReportLimits>()));
        services.AddScoped<ReportStore>();
        services.AddScoped<IInboundMailbox, ReportsInbox>();
        services.AddScoped<OwnRoutes>();
        services.AddScoped<DmarcOverviewReader>();
        return services;
    }
}
