using Parley.Core.Identity;

namespace Parley.Hosting;

/// <summary>
/// At start, while the installation has no user, logs the set-up code that /setup asks for from another machine, the
/// same one at each start until the first admin exists.
/// </summary>
public sealed partial class SetupCodeAnnouncer(IServiceProvider services, ServeOptions serve, ILogger<SetupCodeAnnouncer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<UserService>().AnyUserAsync(cancellationToken))
        {
            return;
        }

        var code = await scope.ServiceProvider.GetRequiredService<SetupCode>().GetOrCreateAsync(cancellationToken);
        var url = serve.Urls.Split([';', ','], StringSplitOptions.RemoveEmptyEntries)[0].TrimEnd('/');
        LogSetupCode(logger, url, code);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parley has no admin yet. Open {Url}/setup to create one; from another machine it asks for this set-up code: {Code} (or run 'parley admin create').")]
    private static partial void LogSetupCode(ILogger logger, string url, string code);
}
