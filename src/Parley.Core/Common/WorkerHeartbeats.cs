using System.Collections.Concurrent;

namespace Parley.Core.Common;

/// <summary>
/// The background loops say they are alive: each loop beats every time it goes round (after a pass, and on waking
/// from its wait, which is bounded by its poll interval), so an idle loop beats too and a loop stuck inside one pass
/// stops beating. <c>/readyz</c> calls a worker stalled when one of its loops has not beaten for a while and the worker
/// has work waiting (Operations/WorkerHealthCheck.cs).
/// </summary>
public sealed class WorkerHeartbeats(TimeProvider clock)
{
    public const string Outbox = "outbox";
    public const string Inbound = "inbound";

    private readonly ConcurrentDictionary<(string Worker, string Loop), LoopBeat> _loops = new();

    /// <summary>The loop <paramref name="loop"/> of <paramref name="worker"/> went round (or started).</summary>
    public void Beat(string worker, string loop) => _loops[(worker, loop)] = new LoopBeat(worker, loop, clock.GetUtcNow(), Running: true);

    /// <summary>The loop ended (the host stops it, or it gave up).</summary>
    public void Stopped(string worker, string loop) => _loops[(worker, loop)] = new LoopBeat(worker, loop, clock.GetUtcNow(), Running: false);

    public IReadOnlyList<LoopBeat> LoopsOf(string worker) => _loops.Values.Where(l => l.Worker == worker).ToList();
}

/// <param name="At">When the loop last beat (or stopped).</param>
public sealed record LoopBeat(string Worker, string Loop, DateTimeOffset At, bool Running);
