using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Core.Data.Cluster;

namespace Parley.Core.SpamTest;

/// <summary>
/// Scores kept test messages soon after routing commits them, and on start-up whatever a restart left unscored. One node
/// of a cluster scores at a time (it holds the <see cref="TurnName"/> lease and renews it each pass), so no message is
/// scored twice; another takes over when the holder stops, or within <see cref="HoldFor"/> when it dies.
/// </summary>
public sealed partial class SpamTestWorker(IServiceScopeFactory scopes, SpamTestSignal signal, ILogger<SpamTestWorker> logger) : BackgroundService
{
    /// <summary>The inbox signals before its routing chunk commits; the poll finds what that wake-up came too early for.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    /// <summary>The scorer's lease row (<see cref="PeriodicTurn"/>).</summary>
    public const string TurnName = "spam-test-scoring";

    /// <summary>Longer than a pass of 10 messages with slow engines and link checks, so a live holder never loses it mid-pass.</summary>
    public static readonly TimeSpan HoldFor = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ScoreUntilStoppedAsync(stoppingToken);
        }
        finally
        {
            await PeriodicTurn.ReleaseOnStopAsync(scopes, TurnName);
        }
    }

    private async Task ScoreUntilStoppedAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var scored = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if ((await scope.ServiceProvider.GetRequiredService<PeriodicTurn>().HoldAsync(TurnName, HoldFor, cancellationToken)).Taken)
                {
                    scored = await scope.ServiceProvider.GetRequiredService<SpamTestScorer>().ScorePendingAsync(10, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
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
                    await signal.WaitAsync(Poll, cancellationToken);
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
