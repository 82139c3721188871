using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Parley.Core.Data;
using Parley.Core.Followers;

namespace Parley.Core.Inbound;

/// <summary>
/// The router's per-pass queries, compiled once: a pass of a few messages runs each of them, and translating the
/// LINQ expression again every time (EF's funcletizer and query-cache lookup) cost more CPU than SQLite's answer.
/// A compiled query belongs to one model: one set per provider's model (a test process uses both).
/// </summary>
internal sealed class InboundQueries
{
    private static readonly ConcurrentDictionary<IModel, InboundQueries> PerModel = new();

    public static InboundQueries For(ParleyDbContext db) => PerModel.GetOrAdd(db.Model, _ => new InboundQueries());

    public readonly Func<ParleyDbContext, int, IAsyncEnumerable<InboundMessage>> Pending =
        EF.CompileAsyncQuery((ParleyDbContext db, int batch) =>
            db.Inbound.AsNoTracking().Where(i => i.Status == InboundStatus.Pending).OrderBy(i => i.Id).Take(batch));

    /// <summary>Earlier rows with these Message-IDs that were routed somehow (not pending, failed or a duplicate).</summary>
    public readonly Func<ParleyDbContext, List<string>, IAsyncEnumerable<KnownInbound>> Earlier =
        EF.CompileAsyncQuery((ParleyDbContext db, List<string> ids) =>
            db.Inbound.AsNoTracking()
                .Where(i => ids.Contains(i.MessageId!) && i.Status != InboundStatus.Pending && i.Status != InboundStatus.Failed && i.Status != InboundStatus.Duplicate)
                .OrderBy(i => i.Id).Select(i => new KnownInbound(i.Id, i.Source, i.MessageId!)));

    public readonly Func<ParleyDbContext, string, CancellationToken, Task<ContactKey?>> ContactByEmail =
        EF.CompileAsyncQuery((ParleyDbContext db, string email, CancellationToken cancellationToken) =>
            db.Contacts.AsNoTracking().Where(c => c.Email == email).Select(c => new ContactKey(c.Id, c.Email)).FirstOrDefault());

    public readonly Func<ParleyDbContext, string, long, IAsyncEnumerable<Follower>> FollowersOf =
        EF.CompileAsyncQuery<ParleyDbContext, string, long, Follower>((db, type, id) =>
            db.Followers.AsNoTracking().Where(f => f.RecordType == type && f.RecordId == id).OrderBy(f => f.Id));
}

internal sealed record KnownInbound(long Id, string Source, string MessageId);

/// <summary>A contact as routing needs it: its id and normalized address.</summary>
public sealed record ContactKey(long Id, string Email);
