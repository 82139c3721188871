using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Pages.Records;

/// <summary>Every record type, with how many records each has and where they are.</summary>
public sealed class IndexModel(RecordTypeService types, ParleyDbContext db) : ParleyPageModel
{
    public List<RecordType> Types { get; private set; } = [];
    public Dictionary<long, int> Counts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Types = await types.ListAsync(cancellationToken);
        Counts = await db.Records.GroupBy(r => r.StageId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }
}
