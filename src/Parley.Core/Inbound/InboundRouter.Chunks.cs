using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Core.Inbound;

/// <summary>Routing one chunk of a batch: all together in one save, or one by one when that fails.</summary>
public sealed partial class InboundRouter
{
    private sealed record ChunkOutcome(List<(RecordRef Record, long MessageId)> Changed, bool QueuedMail);

    /// <summary>
    /// The fast path: the whole chunk in one transaction with one SaveChanges. Routing mostly only reads until then (a
    /// new contact, attachments and follower forwards save earlier, and take the writer and begin the transaction
    /// first), so the database's single writer (SQLite) is taken just for the save and the commit, not while the chunk is routed: the
    /// listener's commits, which hold up SMTP replies, wait less. If anything fails, the transaction is rolled back,
    /// every row gets back the state it had before, and null sends the chunk down the one-by-one path, which
    /// isolates the failing message.
    /// </summary>
    private async Task<ChunkOutcome?> RouteTogetherAsync(InboundMessage[] chunk, Dictionary<long, Prepared> prepared, RouteContext context,
        KnownMessageIds known, CancellationToken ct)
    {
        var before = chunk.Select(RoutingState.Of).ToList();
        var results = new List<RouteResult>(chunk.Length);
        await using var write = new LazyWrite(db, writeGate);
        try
        {
            foreach (var inbound in chunk)
            {
                db.Attach(inbound);
                results.Add(await RouteAsync(inbound, prepared[inbound.Id], context, known, write.BeginAsync, ct));
                known.Routed(inbound);
            }
            await write.BeginAsync(ct);
            await SaveChunkAsync(chunk, ct);
            await write.CommitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await write.RollbackAsync();
            db.ChangeTracker.Clear();
            context.Lookups.ForgetContacts();
            for (var i = 0; i < chunk.Length; i++)
            {
                known.Forget(chunk[i]);
                before[i].RestoreTo(chunk[i]);
            }
            LogChunkRetry(e, chunk.Length);
            return null;
        }
        return new ChunkOutcome(
            results.SelectMany(r => r.Changed.Concat(r.Posted.Select(p => (p.Record, p.Message.Id)))).ToList(),
            results.Any(r => r.QueuedMail));
    }

    /// <summary>
    /// The chunk's save. In the common case — each message posted as a new chatter entry or only marked, nothing else
    /// changed — plain statements (<see cref="RowWriter"/>: one INSERT per entry, one UPDATE of the routing columns per
    /// row) instead of EF's SaveChanges, which was most of a chunk's time in the single writer. Anything else (a bounce's
    /// counters, attachments, a follower forward) is saved by EF as before.
    /// </summary>
    private async Task SaveChunkAsync(InboundMessage[] chunk, CancellationToken ct)
    {
        if (PostedOnly() is not { } posted)
        {
            await db.SaveChangesAsync(ct);
            return;
        }
        await RowWriter.InsertAsync(db, posted, ct);
        foreach (var inbound in chunk)
            if (inbound.ChatterMessage is { } message) inbound.ChatterMessageId = message.Id;
        await RowWriter.UpdateAsync(db, chunk, RoutingState.Columns, ct);
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
                    || (entry.Entity is InboundMessage && entry.State is EntityState.Unchanged or EntityState.Modified)) continue;
                if (entry.State == EntityState.Added && entry.Entity is ChatterMessage message)
                {
                    posted.Add(message);
                    continue;
                }
                if (entry.State == EntityState.Unchanged) entry.DetectChanges();
                if (entry.State != EntityState.Unchanged) return null;
            }
            return posted;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>Each message under its own savepoint: one that throws is marked failed, the others are routed.</summary>
    private async Task<ChunkOutcome> RouteOneByOneAsync(InboundMessage[] chunk, Dictionary<long, Prepared> prepared, RouteContext context,
        KnownMessageIds known, CancellationToken ct)
    {
        var outcome = new ChunkOutcome([], false);
        var queuedMail = false;
        await using var writer = await writeGate.EnterAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var inbound in chunk)
        {
            await tx.CreateSavepointAsync("inbound", ct);
            try
            {
                if (db.Entry(inbound).State == EntityState.Detached) db.Attach(inbound);
                var result = await RouteAsync(inbound, prepared[inbound.Id], context, known, _ => Task.CompletedTask, ct);
                await db.SaveChangesAsync(ct);
                known.Routed(inbound);
                outcome.Changed.AddRange(result.Changed);
                outcome.Changed.AddRange(result.Posted.Select(p => (p.Record, p.Message.Id)));
                queuedMail |= result.QueuedMail;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep the raw message and say why; one bad message must not stop the queue.
                await tx.RollbackToSavepointAsync("inbound", ct);
                db.ChangeTracker.Clear();
                context.Lookups.ForgetContacts();
                // The database's own words, not EF's "see the inner exception".
                var error = $"Processing failed: {e.GetBaseException().Message}";
                await db.Inbound.Where(i => i.Id == inbound.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(i => i.Status, InboundStatus.Failed)
                    .SetProperty(i => i.Error, error.Length > 2000 ? error[..2000] : error), ct);
                LogRoutingFailed(e, inbound.Id);
            }
        }
        await tx.CommitAsync(ct);
        return outcome with { QueuedMail = queuedMail };
    }

    /// <summary>The database's writer and a transaction, taken at the first write and held until the chunk commits or rolls back.</summary>
    private sealed class LazyWrite(ParleyDbContext db, DatabaseWriteGate gate) : IAsyncDisposable
    {
        private IAsyncDisposable? _writer;
        private Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? _tx;

        public async Task BeginAsync(CancellationToken ct)
        {
            if (_tx is not null) return;
            _writer = await gate.EnterAsync(db, ct);
            _tx = await db.Database.BeginTransactionAsync(ct);
        }

        public Task CommitAsync(CancellationToken ct) => _tx!.CommitAsync(ct);

        public async Task RollbackAsync()
        {
            if (_tx is not null) await _tx.RollbackAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_tx is not null) await _tx.DisposeAsync();
            if (_writer is not null) await _writer.DisposeAsync();
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
}
