using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Parley.Core.SpamTest;

/// <summary>Scores kept test messages soon after routing commits them, and on start-up whatever a restart left unscored.</summary>
public sealed partial class SpamTestWorker(IServiceScopeFactory scopes, SpamTestSignal signal, ILogger<SpamTestWorker> logger) : BackgroundService
{
    /// <summary>The inbox signals before its routing chunk commits; the poll finds what that wake-up came too early for.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var scored = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scored = await scope.ServiceProvider.GetRequiredService<SpamTestScorer>().ScorePendingAsync(10, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPassFailed(e);
            }

            if (scored == 0)
            {
                try
                {
                    await signal.WaitAsync(Poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The spam-test scorer hit an error; it will try again")]
    private partial void LogPassFailed(Exception e);
}
