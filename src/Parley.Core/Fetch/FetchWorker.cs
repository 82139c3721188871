using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Core.Data;

namespace Parley.Core.Fetch;

/// <summary>
/// Keeps one loop per enabled fetch account: IMAP accounts hold a session and IDLE where the server offers it
/// (else poll), POP3 accounts poll on their interval. After a failed poll the wait doubles (backoff) up to
/// <see cref="FetchOptions.MaxBackoff"/>. Changed or removed accounts restart or stop their loop.
/// </summary>
public sealed partial class FetchWorker(
    IServiceScopeFactory scopes,
    FetchCoordinator coordinator,
    TimeProvider clock,
    IOptions<FetchOptions> options,
    ILogger<FetchWorker> logger) : BackgroundService
{
    private sealed record Running(string Stamp, CancellationTokenSource Stop, Task Loop);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new Dictionary<long, Running>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ReconcileAsync(running, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogReconcileFailed(e);
                }
                try { await coordinator.WaitForChangeAsync(options.Value.AccountRefresh, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
        finally
        {
            foreach (var r in running.Values)
            {
                await r.Stop.CancelAsync();
            }

            try { await Task.WhenAll(running.Values.Select(r => r.Loop)); }
            catch (OperationCanceledException) { /* stopping */ }
        }
    }

    private async Task ReconcileAsync(Dictionary<long, Running> running, CancellationToken cancellationToken)
    {
        List<FetchAccount> accounts;
        await using (var scope = scopes.CreateAsyncScope())
        {
            accounts = await scope.ServiceProvider.GetRequiredService<ParleyDbContext>().FetchAccounts.AsNoTracking().Where(a => a.Enabled).ToListAsync(cancellationToken);
        }
        var wanted = accounts.ToDictionary(a => a.Id);
        foreach (var (id, r) in running.ToList())
        {
            if (wanted.TryGetValue(id, out var account) && Stamp(account) == r.Stamp && !r.Loop.IsCompleted)
            {
                continue;
            }

            await r.Stop.CancelAsync();
            try { await r.Loop; }
            catch (OperationCanceledException) { /* stopped */ }
            r.Stop.Dispose();
            running.Remove(id);
        }
        foreach (var account in accounts.Where(a => !running.ContainsKey(a.Id)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            running[account.Id] = new Running(Stamp(account), stop, Task.Run(() => RunAccountAsync(account, stop.Token), CancellationToken.None));
        }
    }

    private static string Stamp(FetchAccount a) =>
        string.Join('|', a.Protocol, a.Host, a.Port, a.Security, a.ValidateCertificate, a.Username, a.PasswordProtected, a.Folder, a.AfterFetch, a.MoveToFolder, a.IntervalSeconds);

    private async Task RunAccountAsync(FetchAccount account, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(10, account.IntervalSeconds));
        var failures = account.ConsecutiveFailures;
        while (!cancellationToken.IsCancellationRequested)
        {
            FetchRunResult result;
            try
            {
                result = account.Protocol == FetchProtocol.Imap
                    ? await coordinator.RunImapSessionAsync(account.Id, interval, cancellationToken)
                    : await coordinator.FetchNowAsync(account.Id, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLoopFailed(e, account.Id);
                result = new FetchRunResult(false, 0, 0, e.Message);
            }
            failures = result.Ok ? 0 : failures + 1;
            var wait = failures == 0 ? interval : Backoff(interval, failures);
            try { await Task.Delay(wait, clock, cancellationToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    internal TimeSpan Backoff(TimeSpan interval, int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 16));
        var wait = TimeSpan.FromSeconds(interval.TotalSeconds * factor);
        return wait < options.Value.MaxBackoff ? wait : options.Value.MaxBackoff;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The fetch worker could not read the accounts; it will try again")]
    private partial void LogReconcileFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fetch account {AccountId}: the loop hit an error; it will try again")]
    private partial void LogLoopFailed(Exception e, long accountId);
}
