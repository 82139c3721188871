using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Settings;

namespace Parley.Core.Fetch;

/// <summary>The outcome of a fetch run, as shown to the admin.</summary>
public sealed record FetchRunResult(bool Ok, int Stored, int Failed, string? Error);

/// <summary>The outcome of "test": logged in and counted, nothing fetched.</summary>
public sealed record FetchTestResult(bool Ok, int? Messages, string? Error);

/// <summary>
/// Runs polls of fetch accounts, one at a time per account (the worker's schedule, IMAP IDLE sessions and
/// "fetch now" share a lock, and nodes sharing a PostgreSQL database share a <see cref="ClusterLock"/>, so no
/// message is downloaded by two of them at once), and records each result on the account.
/// </summary>
public sealed partial class FetchCoordinator(IServiceScopeFactory scopes, IMailboxConnector mailboxes, SecretProtector secrets, TimeProvider clock, FetchMetrics metrics, ILogger<FetchCoordinator> logger)
{
    /// <summary>RFC 2177 asks clients to re-issue IDLE at least every 29 minutes; stay well inside.</summary>
    public static readonly TimeSpan MaxIdle = TimeSpan.FromMinutes(9);

    private readonly ConcurrentDictionary<long, SemaphoreSlim> _locks = new();
    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <summary>Tells the worker that accounts were added, changed or removed.</summary>
    public void AccountsChanged()
    {
        try { _changed.Release(); }
        catch (SemaphoreFullException) { /* already signalled */ }
    }

    internal Task<bool> WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) => _changed.WaitAsync(timeout, cancellationToken);

    /// <summary>Connects, polls once, disconnects (POP3 deletions are applied by QUIT) and records the result.</summary>
    public Task<FetchRunResult> FetchNowAsync(long accountId, CancellationToken cancellationToken) =>
        WithAccountLockedAsync(accountId, async (fetcher, account) =>
        {
            try
            {
                FetchPollResult result;
                if (account.Protocol == FetchProtocol.Imap)
                {
                    using var session = await mailboxes.ConnectImapAsync(ServerOf(account), fetcher.CommandTimeout, cancellationToken);
                    result = await fetcher.PollImapAsync(account, session, cancellationToken);
                    await session.DisconnectAsync(cancellationToken);
                }
                else
                {
                    using var session = await mailboxes.ConnectPop3Async(ServerOf(account), fetcher.CommandTimeout, cancellationToken);
                    result = await fetcher.PollPop3Async(account, session, cancellationToken);
                    await session.DisconnectAsync(cancellationToken);
                }
                return await RecordAsync(accountId, result, null, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                return await RecordFailureAsync(account, e, cancellationToken);
            }
        }, cancellationToken);

    private MailboxServer ServerOf(FetchAccount account) => MailboxServer.Of(account, secrets.PasswordOf(account));

    /// <summary>
    /// Tries a message that could not be stored again, now (after its cause is fixed): forgets the failure under the
    /// account's lock — so a poll running meanwhile cannot move past the message again — then fetches.
    /// </summary>
    public async Task<FetchRunResult> RetryAsync(long accountId, long failureId, CancellationToken cancellationToken)
    {
        if (!await WithAccountLockedAsync(accountId, (fetcher, account) => fetcher.ForgetFailureAsync(account, failureId, cancellationToken), cancellationToken))
        {
            throw new NotFoundException($"Fetch failure {failureId} of mailbox {accountId}");
        }

        return await FetchNowAsync(accountId, cancellationToken);
    }

    /// <summary>
    /// Runs work on one account under its lock (one poll at a time per account in this process),
    /// with a fresh scope and the account as stored now.
    /// </summary>
    private async Task<T> WithAccountLockedAsync<T>(long accountId, Func<MailboxFetcher, FetchAccount, Task<T>> work, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(accountId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            // Other nodes sharing a PostgreSQL database poll the same account: one at a time across all of them.
            await using var polling = await ClusterLock.AcquireAsync(
                scope.ServiceProvider.GetRequiredService<ParleyDbContext>(), ClusterLock.FetchAccount, (int)accountId, cancellationToken);
            var fetcher = scope.ServiceProvider.GetRequiredService<MailboxFetcher>();
            var account = await fetcher.FindAsync(accountId, cancellationToken) ?? throw new KeyNotFoundException($"There is no fetch account {accountId}.");
            return await work(fetcher, account);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// One IMAP session: poll, then IDLE until the server reports new mail or <paramref name="interval"/> passes, and
    /// poll again, until an error or cancellation. Returns at once after the first poll when the server has no IDLE.
    /// </summary>
    public async Task<FetchRunResult> RunImapSessionAsync(long accountId, TimeSpan interval, CancellationToken cancellationToken)
    {
        FetchAccount? account = null;
        try
        {
            IImapSession session;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var fetcher = scope.ServiceProvider.GetRequiredService<MailboxFetcher>();
                account = await fetcher.FindAsync(accountId, cancellationToken) ?? throw new KeyNotFoundException($"There is no fetch account {accountId}.");
                session = await mailboxes.ConnectImapAsync(ServerOf(account), fetcher.CommandTimeout, cancellationToken);
            }
            using (session)
            {
                for (var round = 0; ; round++)
                {
                    var (result, folder) = await PollLockedAsync(accountId, session, cancellationToken);
                    var recorded = await RecordAsync(accountId, result, null, cancellationToken);
                    if (!session.CanIdle)
                    {
                        await session.DisconnectAsync(cancellationToken);
                        return recorded;
                    }
                    await folder.IdleAsync(interval < MaxIdle ? interval : MaxIdle, cancellationToken);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && account is not null)
        {
            return await RecordFailureAsync(account, e, cancellationToken);
        }
    }

    private Task<(FetchPollResult, IImapFolder)> PollLockedAsync(long accountId, IImapSession session, CancellationToken cancellationToken) =>
        WithAccountLockedAsync(accountId, (fetcher, account) => fetcher.PollImapFolderAsync(account, session, cancellationToken), cancellationToken);

    /// <summary>Logs in and counts the messages in the folder (POP3: the maildrop); downloads nothing, changes nothing.</summary>
    public async Task<FetchTestResult> TestAsync(FetchAccount account, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(30);
        try
        {
            var server = ServerOf(account);
            if (account.Protocol == FetchProtocol.Imap)
            {
                using var session = await mailboxes.ConnectImapAsync(server, timeout, cancellationToken);
                var folder = await session.GetFolderAsync(account.Folder, cancellationToken);
                await folder.OpenAsync(readWrite: false, cancellationToken);
                var count = folder.Count;
                await session.DisconnectAsync(cancellationToken);
                return new FetchTestResult(true, count, null);
            }
            else
            {
                using var session = await mailboxes.ConnectPop3Async(server, timeout, cancellationToken);
                var count = await session.CountAsync(cancellationToken);
                await session.DisconnectAsync(cancellationToken);
                return new FetchTestResult(true, count, null);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new FetchTestResult(false, null, mailboxes.Describe(MailboxServer.Of(account, password: null), e));
        }
    }

    private async Task<FetchRunResult> RecordAsync(long accountId, FetchPollResult result, string? error, CancellationToken cancellationToken)
    {
        metrics.Ran(ok: true);
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        await db.FetchAccounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.LastRunAt, now)
            .SetProperty(a => a.LastSuccessAt, now)
            .SetProperty(a => a.LastError, result.Failed > 0 ? $"{result.Failed} message(s) could not be stored; they stay on the server. See the list below." : null)
            .SetProperty(a => a.ConsecutiveFailures, 0)
            .SetProperty(a => a.LastFetched, result.Stored), cancellationToken);
        return new FetchRunResult(true, result.Stored, result.Failed, error);
    }

    private async Task<FetchRunResult> RecordFailureAsync(FetchAccount account, Exception e, CancellationToken cancellationToken)
    {
        var message = mailboxes.Describe(MailboxServer.Of(account, password: null), e);
        metrics.Ran(ok: false);
        LogPollFailed(e, account.Id, message);
        var now = clock.GetUtcNow();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            await db.FetchAccounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.LastRunAt, now)
                .SetProperty(a => a.LastError, message.Length > 2000 ? message[..2000] : message)
                .SetProperty(a => a.ConsecutiveFailures, a => a.ConsecutiveFailures + 1)
                .SetProperty(a => a.LastFetched, 0), cancellationToken);
        }
        catch (Exception second) when (!cancellationToken.IsCancellationRequested)
        {
            LogRecordFailed(second, account.Id);
        }
        return new FetchRunResult(false, 0, 0, message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetch account {AccountId}: {Problem}")]
    private partial void LogPollFailed(Exception e, long accountId, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fetch account {AccountId}: could not record the poll's result")]
    private partial void LogRecordFailed(Exception e, long accountId);
}
