using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Deliverability.Dns;

namespace Parley.Core.SpamTest;

public static class SpamTestServiceCollectionExtensions
{
    /// <summary>The spam-test inbox (a special inbox of the alias domain), the checks engine, tests and their scorer.</summary>
    public static IServiceCollection AddParleySpamTest(this IServiceCollection services)
    {
        services.AddOptions<SpamTestOptions>();
        services.AddSingleton<SpamTestSignal>();
        services.AddSingleton(sp => new LinkChecks(sp.GetRequiredService<IDnsResolver>(), sp.GetRequiredService<IOptions<SpamTestOptions>>().Value));
        services.AddSingleton<IReadOnlyList<ISpamEngine>>(sp =>
            SpamEngines.From(sp.GetRequiredService<IOptions<SpamTestOptions>>().Value, new HttpClient { Timeout = Timeout.InfiniteTimeSpan }));
        services.AddSingleton<SpamChecker>();
        services.AddScoped<SpamTestInbox>();
        services.AddScoped<SpamTestService>();
        services.AddScoped<SpamTestScorer>();
        services.AddScoped<SpamTestSender>();
        return services;
    }

    public static IServiceCollection AddParleySpamTestWorker(this IServiceCollection services) => services.AddHostedService<SpamTestWorker>();
}
