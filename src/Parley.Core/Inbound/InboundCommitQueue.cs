using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Core.Chatter;
using Parley.Core.Data;

namespace Parley.Core.Inbound;

/// <summary>
/// Group commit for received messages: one writer loop takes every store request waiting in its channel
/// (up to <see cref="MaxBatch"/>) and commits them in one transaction, so 20 concurrent SMTP sessions
/// cost one fsync instead of 20. Each caller's task completes only after the commit that holds its row,
/// so a 250 still means "durably stored". If a batch fails, its rows are retried one by one, so one bad
/// row cannot fail the others.
/// </summary>
public sealed partial class InboundCommitQueue : IAsyncDisposable
{
    public const int MaxBatch = 64;

    private readonly Channel<Pending> _channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceScopeFactory _scopes;
    private readonly InboundSignal _signal;
    private readonly ILogger<InboundCommitQueue> _logger;
    private readonly Task _writer;
    private readonly DatabaseWriteGate _writeGate;
    private readonly RecentlyStored _recent;

    public InboundCommitQueue(IServiceScopeFactory scopes, InboundSignal signal, DatabaseWriteGate writeGate, RecentlyStored recent,
        ILogger<InboundCommitQueue> logger)
    {
        _scopes = scopes;
        _recent = recent;
        _writeGate = writeGate;
        _signal = signal;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    public async Task<long> CommitAsync(InboundMessage row, CancellationToken cancellationToken)
    {
        var pending = new Pending(row, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_channel.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("Parley is shutting down; the message was not stored.");
        }
        // The commit may still land after a cancellation; the caller then simply does not acknowledge it.
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _channel.Reader.WaitToReadAsync())
        {
            batch.Clear();
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
                // The batch is taken once the writer is ours, so whatever arrived while the router held it joins this
                // commit: fewer, fuller commits (each one is an fsync) when the database is busiest.
                await using var writer = await _writeGate.EnterAsync(db, CancellationToken.None);
                while (batch.Count < MaxBatch && _channel.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                await CommitBatchAsync(db, batch);
            }
            catch (Exception e)
            {
                // The loop must outlive any failure: a dead writer would leave every later sender waiting for a 250.
                LogLoopFailed(e);
                foreach (var p in batch)
                {
                    p.Done.TrySetException(e);
                }
            }
            _signal.Notify();
        }
    }

    private async Task CommitBatchAsync(ParleyDbContext db, List<Pending> batch)
    {
        try
        {
            await InsertAsync(db, batch);
            foreach (var p in batch)
            {
                Stored(p);
            }
        }
        catch (Exception e) when (batch.Count > 1)
        {
            LogBatchFailed(e, batch.Count);
            foreach (var p in batch)
            {
                try
                {
                    p.Row.Id = 0;
                    p.Row.RawMime!.Id = 0;
                    p.Row.RawMimeId = 0;
                    await InsertAsync(db, [p]);
                    Stored(p);
                }
                catch (Exception one) { p.Done.TrySetException(one); }
            }
        }
        catch (Exception e)
        {
            foreach (var p in batch)
            {
                p.Done.TrySetException(e);
            }
        }
    }

    /// <summary>Committed: the router may take the bytes from memory, and the caller may acknowledge.</summary>
    private void Stored(Pending p)
    {
        _recent.Add(p.Row.RawMimeId, p.Row.RawMime!.Content);
        p.Done.TrySetResult(p.Row.Id);
    }

    /// <summary>
    /// Plain inserts, not EF's change tracker: this is the listener's hot path, and the rows are not used afterwards.
    /// One transaction, so a failure leaves no raw bytes without their envelope.
    /// </summary>
    private static async Task InsertAsync(ParleyDbContext db, List<Pending> batch)
    {
        await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await RowWriter.InsertAsync(db, batch.Select(p => p.Row.RawMime!).ToList(), CancellationToken.None);
        foreach (var p in batch)
        {
            p.Row.RawMimeId = p.Row.RawMime!.Id;
        }

        await RowWriter.InsertAsync(db, batch.Select(p => p.Row).ToList(), CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _writer;
    }

    private sealed record Pending(InboundMessage Row, TaskCompletionSource<long> Done);

    [LoggerMessage(Level = LogLevel.Error, Message = "The inbound commit loop hit an error; the messages it held were not acknowledged")]
    private partial void LogLoopFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing {Count} inbound messages together failed; retrying them one by one")]
    private partial void LogBatchFailed(Exception e, int count);
}
