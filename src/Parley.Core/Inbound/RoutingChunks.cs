using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Records;
using static Parley.Core.Common.TextLimit;

namespace Parley.Core.Inbound;

/// <summary>
/// Routes one message with its changes tracked (saved with its chunk); <paramref name="beforeWrite"/> is awaited before any
/// save of its own.
/// </summary>
public delegate Task<RouteResult> RouteOne(InboundMessage inbound, Func<CancellationToken, Task> beforeWrite, CancellationToken cancellationToken);

/// <summary>What a batch changed: the chatter entries to announce, and whether mail was queued.</summary>
public sealed record RoutedBatch(IReadOnlyList<(RecordRef Record, long MessageId)> Changed, bool QueuedMail);

/// <summary>
/// How a routing batch is written, whatever the rules: in chunks of <see cref="MessagesPerTransaction"/>, each one
/// transaction with one save, so routing keeps up with a busy listener and the listener's group commits get in between.
/// If a chunk fails, it is rolled back, its rows get their values from before the attempt, and it is routed again message
/// by message, each under its own savepoint, so one that throws is marked failed without undoing the others.
/// </summary>
public sealed partial class RoutingChunks(ParleyDbContext db, DatabaseWriteGate writeGate, ILogger<RoutingChunks> logger)
{
    /// <summary>
    /// Messages routed per write transaction. The listener's group commits need SQLite's single writer too; short
    /// routing transactions let them in between (a 250 waits for its commit), instead of the listener stalling for
    /// the whole batch.
    /// </summary>
    public const int MessagesPerTransaction = 10;

    /// <param name="rows">Rows read without tracking; each is attached when it is routed.</param>
    /// <param name="rolledBack">Told about each row whose routing was undone, to forget what it taught the batch.</param>
    public async Task<RoutedBatch> RouteAsync(IReadOnlyList<InboundMessage> rows, RouteOne route, Action<InboundMessage> rolledBack, CancellationToken cancellationToken)
    {
        // Our own savepoint per message is enough; EF's automatic one around every SaveChanges would add two
        // statements per call, several calls per message.
        db.Database.AutoSavepointsEnabled = false;
        var changed = new List<(RecordRef Record, long MessageId)>();
        var queuedMail = false;
        // Routing results are derived from rows the listener already made durable: a power loss that undid the last
        // chunks would leave their rows pending, and they would be routed again. So they commit without an fsync each,
        // which is most of a chunk's time in the database's single writer.
        await using var derived = await DerivedWrites.BeginAsync(db, cancellationToken);
        foreach (var chunk in rows.Chunk(MessagesPerTransaction))
        {
            var outcome = await RouteTogetherAsync(chunk, route, rolledBack, cancellationToken) ?? await RouteOneByOneAsync(chunk, route, rolledBack, cancellationToken);
            changed.AddRange(outcome.Changed);
            queuedMail |= outcome.QueuedMail;
            // What was committed needs no tracking; a smaller tracker keeps each SaveChanges' DetectChanges short.
            db.ChangeTracker.Clear();
        }
        return new RoutedBatch(changed, queuedMail);
    }

    /// <summary>
    /// The fast path: the whole chunk in one transaction with one SaveChanges. Routing mostly only reads until then (a
    /// new contact, attachments and follower forwards save earlier, and take the writer and begin the transaction
    /// first), so the database's single writer (SQLite) is taken just for the save and the commit, not while the chunk is
    /// routed: the listener's commits, which hold up SMTP replies, wait less. If anything fails, the transaction is rolled
    /// back, every row gets back the state it had before, and null sends the chunk down the one-by-one path, which
    /// isolates the failing message.
    /// </summary>
    private async Task<RoutedBatch?> RouteTogetherAsync(InboundMessage[] chunk, RouteOne route, Action<InboundMessage> rolledBack, CancellationToken cancellationToken)
    {
        var before = chunk.Select(RoutingState.Of).ToList();
        var results = new List<RouteResult>(chunk.Length);
        await using var write = new LazyWrite(db, writeGate);
        try
        {
            foreach (var inbound in chunk)
            {
                db.Attach(inbound);
                results.Add(await route(inbound, write.BeginAsync, cancellationToken));
            }
            await write.BeginAsync(cancellationToken);
            await SaveChunkAsync(chunk, cancellationToken);
            await write.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await write.RollbackAsync();
            db.ChangeTracker.Clear();
            for (var i = 0; i < chunk.Length; i++)
            {
                rolledBack(chunk[i]);
                before[i].RestoreTo(chunk[i]);
            }
            LogChunkRetry(e, chunk.Length);
            return null;
        }
        return new RoutedBatch(results.SelectMany(ChangedBy).ToList(), results.Any(r => r.QueuedMail));
    }

    /// <summary>
    /// The chunk's save. In the common case — each message posted as a new chatter entry or only marked, nothing else
    /// changed — plain statements (<see cref="RowWriter"/>: one INSERT per entry, one UPDATE of the routing columns per
    /// row) instead of EF's SaveChanges, which was most of a chunk's time in the single writer. Anything else (a bounce's
    /// counters, attachments, a follower forward) is saved by EF as before.
    /// </summary>
    private async Task SaveChunkAsync(InboundMessage[] chunk, CancellationToken cancellationToken)
    {
        if (PostedOnly() is not { } posted)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        await RowWriter.InsertAsync(db, posted, cancellationToken);
        foreach (var inbound in chunk)
        {
            if (inbound.ChatterMessage is { } message)
            {
                inbound.ChatterMessageId = message.Id;
            }
        }

        await RowWriter.UpdateAsync(db, chunk, RoutingState.Columns, cancellationToken);
        // Written behind EF's back: what it tracks (temporary keys, "modified") no longer describes the database.
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// The chatter entries to insert when that and the rows' routing columns are all the chunk changed; null when
    /// anything else changed. The rows themselves are not compared (their routing columns are written whatever EF
    /// thinks), which spares a whole-tracker DetectChanges — most of it spent comparing the rows' long strings.
    /// </summary>
    private List<ChatterMessage>? PostedOnly()
    {
        var posted = new List<ChatterMessage>();
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in db.ChangeTracker.Entries())
            {
                if (entry.State == EntityState.Detached
                    || (entry.Entity is InboundMessage && entry.State is EntityState.Unchanged or EntityState.Modified))
                {
                    continue;
                }

                if (entry.State == EntityState.Added && entry.Entity is ChatterMessage message)
                {
                    posted.Add(message);
                    continue;
                }
                if (entry.State == EntityState.Unchanged)
                {
                    entry.DetectChanges();
                }

                if (entry.State != EntityState.Unchanged)
                {
                    return null;
                }
            }
            return posted;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>Each message under its own savepoint: one that throws is marked failed, the others are routed.</summary>
    private async Task<RoutedBatch> RouteOneByOneAsync(InboundMessage[] chunk, RouteOne route, Action<InboundMessage> rolledBack, CancellationToken cancellationToken)
    {
        var changed = new List<(RecordRef Record, long MessageId)>();
        var queuedMail = false;
        await using var writer = await writeGate.EnterAsync(db, cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var inbound in chunk)
        {
            await tx.CreateSavepointAsync("inbound", cancellationToken);
            try
            {
                if (db.Entry(inbound).State == EntityState.Detached)
                {
                    db.Attach(inbound);
                }

                var result = await route(inbound, _ => Task.CompletedTask, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                changed.AddRange(ChangedBy(result));
                queuedMail |= result.QueuedMail;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep the raw message and say why; one bad message must not stop the queue.
                await tx.RollbackToSavepointAsync("inbound", cancellationToken);
                db.ChangeTracker.Clear();
                rolledBack(inbound);
                // The database's own words, not EF's "see the inner exception".
                var error = Truncate($"Processing failed: {e.GetBaseException().Message}", 2000);
                await db.Inbound.Where(i => i.Id == inbound.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(i => i.Status, InboundStatus.Failed)
                    .SetProperty(i => i.Error, error), cancellationToken);
                LogRoutingFailed(e, inbound.Id);
            }
        }
        await tx.CommitAsync(cancellationToken);
        return new RoutedBatch(changed, queuedMail);
    }

    /// <summary>Existing entries by id, and the new ones, whose ids are known once saved.</summary>
    private static IEnumerable<(RecordRef Record, long MessageId)> ChangedBy(RouteResult result) =>
        result.Changed.Concat(result.Posted.Select(p => (p.Record, p.Message.Id)));

    /// <summary>The database's writer and a transaction, taken at the first write and held until the chunk commits or rolls back.</summary>
    private sealed class LazyWrite(ParleyDbContext db, DatabaseWriteGate gate) : IAsyncDisposable
    {
        private IAsyncDisposable? _writer;
        private IDbContextTransaction? _tx;

        public async Task BeginAsync(CancellationToken cancellationToken)
        {
            if (_tx is not null)
            {
                return;
            }

            _writer = await gate.EnterAsync(db, cancellationToken);
            _tx = await db.Database.BeginTransactionAsync(cancellationToken);
        }

        public Task CommitAsync(CancellationToken cancellationToken) => _tx!.CommitAsync(cancellationToken);

        public async Task RollbackAsync()
        {
            if (_tx is not null)
            {
                await _tx.RollbackAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_tx is not null)
            {
                await _tx.DisposeAsync();
            }

            if (_writer is not null)
            {
                await _writer.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// What routing changes on a row, kept to undo an attempt: a row re-attached with the attempt's values would
    /// look unchanged to EF when routed to the same values again, and never be written.
    /// </summary>
    private sealed record RoutingState(string? MessageId, InboundStatus Status, string? Error, string? AuthenticationResults,
        string? Sender, string? Route, long? ChatterMessageId)
    {
        /// <summary>The columns routing writes.</summary>
        public static readonly string[] Columns =
        [
            nameof(InboundMessage.MessageId), nameof(InboundMessage.Status), nameof(InboundMessage.Error), nameof(InboundMessage.AuthenticationResults),
            nameof(InboundMessage.Sender), nameof(InboundMessage.Route), nameof(InboundMessage.ChatterMessageId),
        ];

        public static RoutingState Of(InboundMessage m) =>
            new(m.MessageId, m.Status, m.Error, m.AuthenticationResults, m.Sender, m.Route, m.ChatterMessageId);

        public void RestoreTo(InboundMessage m)
        {
            (m.MessageId, m.Status, m.Error, m.AuthenticationResults, m.Sender, m.Route, m.ChatterMessageId) =
                (MessageId, Status, Error, AuthenticationResults, Sender, Route, ChatterMessageId);
            m.ChatterMessage = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing {Count} inbound messages together failed; routing them one by one")]
    private partial void LogChunkRetry(Exception e, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing inbound message {Id} failed; kept as failed")]
    private partial void LogRoutingFailed(Exception e, long id);
}
