using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Parley.Core.Data;
using Parley.Core.Inbound;
using Parley.Core.Settings;

namespace Parley.Core.Fetch;

/// <summary>What one poll did.</summary>
public sealed record FetchPollResult(int Stored, int Failed, int Skipped);

/// <summary>
/// One poll of one mailbox, on an open session (<see cref="IMailboxConnector"/>): download what is new, store each message through
/// <see cref="InboundStore"/> (committed), and only then mark it seen / move / delete it on the server.
/// A message that cannot be stored stays untouched on the server; after <see cref="FetchOptions.MaxStoreAttempts"/>
/// tries it is recorded as failed (<see cref="FetchFailure"/>) and left alone.
/// </summary>
public sealed partial class MailboxFetcher(
    ParleyDbContext db,
    InboundStore store,
    TimeProvider clock,
    IOptions<FetchOptions> options,
    ILogger<MailboxFetcher> logger)
{
    private readonly FetchOptions _options = options.Value;

    public Task<FetchAccount?> FindAsync(long id, CancellationToken cancellationToken) => db.FetchAccounts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);

    /// <summary>
    /// Forgets a message of <paramref name="account"/> that could not be stored, so the next poll tries it again with a
    /// fresh count; IMAP steps back to its UID, as polls ask only for UIDs above the last one done and a given-up
    /// message counted as done. False when there is no such failure. Call under the account's lock.
    /// </summary>
    public async Task<bool> ForgetFailureAsync(FetchAccount account, long failureId, CancellationToken cancellationToken)
    {
        var failure = await db.FetchFailures.SingleOrDefaultAsync(f => f.Id == failureId && f.FetchAccountId == account.Id, cancellationToken);
        if (failure is null)
        {
            return false;
        }

        db.FetchFailures.Remove(failure);
        if (account.Protocol == FetchProtocol.Imap && TryParseImapRemoteId(failure.RemoteId) is var (validity, uid)
            && account.UidValidity == validity && account.LastUid >= uid)
        {
            account.LastUid = uid - 1;
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>An IMAP message's id across polls: the folder's UIDVALIDITY and the message's UID.</summary>
    private static string ImapRemoteId(long uidValidity, uint uid) => $"{uidValidity}:{uid}";

    private static (long UidValidity, long Uid)? TryParseImapRemoteId(string remoteId) =>
        remoteId.Split(':') is [var validity, var uid] && long.TryParse(validity, out var v) && long.TryParse(uid, out var u) ? (v, u) : null;

    public TimeSpan CommandTimeout => _options.CommandTimeout;

    public async Task<FetchPollResult> PollImapAsync(FetchAccount account, IImapSession session, CancellationToken cancellationToken) =>
        (await PollImapFolderAsync(account, session, cancellationToken)).Result;

    /// <summary>Polls and leaves the folder selected (read-write), so the caller can IDLE on it.</summary>
    internal async Task<(FetchPollResult Result, IImapFolder Folder)> PollImapFolderAsync(FetchAccount account, IImapSession session, CancellationToken cancellationToken)
    {
        var folder = await session.GetFolderAsync(account.Folder, cancellationToken);
        await folder.OpenAsync(readWrite: true, cancellationToken);
        {
            IImapFolder? moveTo = null;
            if (account.AfterFetch == FetchAfterAction.Move)
            {
                if (string.IsNullOrWhiteSpace(account.MoveToFolder))
                {
                    throw new InvalidOperationException("Choose the folder fetched messages are moved to.");
                }

                moveTo = await session.GetFolderAsync(account.MoveToFolder, cancellationToken);
            }

            var validity = (long)folder.UidValidity;
            IEnumerable<uint> found;
            var sameMailbox = account.UidValidity == validity && account.LastUid is not null;
            if (sameMailbox)
            {
                var from = (uint)Math.Min(uint.MaxValue - 1, account.LastUid!.Value + 1);
                found = (await folder.SearchFromUidAsync(from, cancellationToken)).Where(u => u > account.LastUid!.Value);
            }
            else
            {
                // First poll, or the folder was recreated (new UIDVALIDITY): what nobody has read yet.
                found = await folder.SearchUnseenAsync(cancellationToken);
            }

            var uids = found.Order().Take(_options.MaxMessagesPerPoll).ToList();
            var result = new FetchPollResult(0, 0, 0);
            long? lastDone = sameMailbox ? account.LastUid : null;
            var prefixDone = true;
            var toDelete = new List<uint>();
            foreach (var uid in uids)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var remoteId = ImapRemoteId(validity, uid);
                var outcome = await TakeAsync(account, "imap", remoteId, token => folder.DownloadAsync(uid, token), cancellationToken);
                if (outcome is Outcome.Stored or Outcome.AlreadyStored)
                {
                    switch (account.AfterFetch)
                    {
                        case FetchAfterAction.Move:
                            await folder.MoveToAsync(uid, moveTo!, cancellationToken);
                            break;
                        case FetchAfterAction.Delete:
                            await folder.MarkDeletedAsync(uid, cancellationToken);
                            toDelete.Add(uid);
                            break;
                        case FetchAfterAction.Keep:
                            break;
                        default:
                            await folder.MarkSeenAsync(uid, cancellationToken);
                            break;
                    }
                }
                result = Counted(result, outcome);

                // LastUid moves only over a run of finished messages, so a message still being retried is asked for again.
                if (outcome == Outcome.Failed)
                {
                    prefixDone = false;
                }

                if (prefixDone)
                {
                    lastDone = uid;
                }
            }
            if (toDelete.Count > 0)
            {
                await folder.ExpungeAsync(toDelete, cancellationToken);
            }

            account.UidValidity = validity;
            account.LastUid = lastDone ?? (sameMailbox ? account.LastUid : null);
            await db.SaveChangesAsync(cancellationToken);
            return (result, folder);
        }
    }

    public async Task<FetchPollResult> PollPop3Async(FetchAccount account, IPop3Session session, CancellationToken cancellationToken)
    {
        if (!session.HasUidl)
        {
            throw new NotSupportedException("This POP3 server does not offer UIDL, so Parley cannot tell which messages it has already fetched. Use IMAP instead.");
        }

        var count = await session.CountAsync(cancellationToken);
        if (count == 0)
        {
            return new FetchPollResult(0, 0, 0);
        }

        var uidls = await session.UidsAsync(cancellationToken);
        var result = new FetchPollResult(0, 0, 0);
        var downloaded = 0;
        for (var index = 0; index < uidls.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remoteId = uidls[index];
            var i = index;
            var outcome = await TakeAsync(account, "pop3", remoteId, token => session.DownloadAsync(i, token), cancellationToken);
            if (outcome is Outcome.Stored or Outcome.AlreadyStored && account.AfterFetch == FetchAfterAction.Delete)
            {
                await session.DeleteAsync(index, cancellationToken); // applied by QUIT, after the store committed
            }

            result = Counted(result, outcome);
            if (outcome is Outcome.Stored or Outcome.Failed && ++downloaded >= _options.MaxMessagesPerPoll)
            {
                break;
            }
        }
        return result;
    }

    private enum Outcome { Stored, AlreadyStored, GivenUp, Failed }

    /// <summary>The poll's figures with one more message: stored, failed, or skipped (already stored or given up).</summary>
    private static FetchPollResult Counted(FetchPollResult result, Outcome outcome) => outcome switch
    {
        Outcome.Stored => result with { Stored = result.Stored + 1 },
        Outcome.Failed => result with { Failed = result.Failed + 1 },
        _ => result with { Skipped = result.Skipped + 1 },
    };

    private async Task<Outcome> TakeAsync(FetchAccount account, string source, string remoteId, Func<CancellationToken, Task<byte[]>> download, CancellationToken cancellationToken)
    {
        if (await db.Inbound.AnyAsync(i => i.FetchAccountId == account.Id && i.RemoteId == remoteId, cancellationToken))
        {
            return Outcome.AlreadyStored;
        }

        var failure = await db.FetchFailures.SingleOrDefaultAsync(f => f.FetchAccountId == account.Id && f.RemoteId == remoteId, cancellationToken);
        if (failure is { GaveUp: true })
        {
            return Outcome.GivenUp;
        }

        var bytes = await download(cancellationToken); // a download error is the connection's problem: the whole poll fails and is retried
        string? subject = null;
        long id;
        try
        {
            var headers = DeliveryHeaders.Peek(bytes);
            subject = headers?[HeaderId.Subject];
            var envelope = new InboundEnvelope(source, account.Host, null, Sender(headers), DeliveryHeaders.Recipients(headers, includeToAndCc: true), clock.GetUtcNow());
            id = await store.StoreAsync(envelope, new MemoryStream(bytes, writable: false), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(e, account.Id, remoteId);
            await RecordFailureAsync(account, remoteId, subject, failure, e, cancellationToken);
            return Outcome.Failed;
        }

        // The row is committed, so the message is safe whatever happens next. Tie it to its place on the server
        // (the unique FetchAccountId + RemoteId), so a later poll knows it even if marking it seen fails.
        try
        {
            await db.Inbound.Where(i => i.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.FetchAccountId, account.Id).SetProperty(i => i.RemoteId, remoteId), cancellationToken);
            if (failure is not null)
            {
                db.FetchFailures.Remove(failure);
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Should it come again, the router recognises its Message-ID as a duplicate: still posted once.
            LogTagFailed(e, account.Id, remoteId, id);
        }
        LogStored(account.Id, remoteId, id);
        return Outcome.Stored;
    }

    private async Task RecordFailureAsync(FetchAccount account, string remoteId, string? subject, FetchFailure? failure, Exception e, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        try
        {
            if (failure is null)
            {
                failure = new FetchFailure { FetchAccountId = account.Id, RemoteId = remoteId, Error = "", FirstAttemptAt = now };
                db.FetchFailures.Add(failure);
            }
            failure.Attempts++;
            failure.LastAttemptAt = now;
            failure.Subject = subject is { Length: > 500 } ? subject[..500] : subject;
            var reason = e.GetBaseException().Message;
            failure.Error = (reason.Length > 1900 ? reason[..1900] : reason);
            failure.GaveUp = failure.Attempts >= _options.MaxStoreAttempts;
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception second) when (second is not OperationCanceledException)
        {
            // The database itself is failing; the message stays untouched on the server and is tried again next poll.
            if (failure is not null)
            {
                db.Entry(failure).State = EntityState.Detached;
            }

            LogFailureNotRecorded(second, account.Id, remoteId);
        }
    }

    private static string Sender(HeaderList? headers)
    {
        var from = headers?[HeaderId.ReturnPath] ?? headers?[HeaderId.From];
        return from is not null && MailboxAddress.TryParse(from, out var address) ? address.Address : "";
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fetch account {AccountId}: stored {RemoteId} as inbound {InboundId}")]
    private partial void LogStored(long accountId, string remoteId, long inboundId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetch account {AccountId}: storing {RemoteId} failed; it stays on the server")]
    private partial void LogStoreFailed(Exception e, long accountId, string remoteId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetch account {AccountId}: {RemoteId} is stored as inbound {InboundId} but could not be tagged with its place on the server")]
    private partial void LogTagFailed(Exception e, long accountId, string remoteId, long inboundId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fetch account {AccountId}: could not record the failure of {RemoteId}")]
    private partial void LogFailureNotRecorded(Exception e, long accountId, string remoteId);
}
