using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Records;

namespace Parley.Pages.Contacts;

/// <summary>Deleted contacts (ADR 0026): the list, and each one's kept timeline, read-only.</summary>
public sealed class DeletedModel(ContactDeletion deletion, TimelineReader timeline) : ParleyPageModel
{
    /// <summary>One deleted contact's entry; null for the list.</summary>
    public long? Id { get; set; }
    public List<DeletedContact> Items { get; private set; } = [];
    public DeletedContact? Contact { get; private set; }
    public TimelineView? Timeline { get; private set; }

    public async Task OnGetAsync(long? id, long? before, CancellationToken cancellationToken)
    {
        Id = id;
        if (id is not { } one)
        {
            Items = await deletion.ListAsync(200, cancellationToken);
            return;
        }

        Contact = await deletion.FindAsync(one, cancellationToken) ?? throw new NotFoundException($"Deleted contact {one}");
        if (Contact.TimelineKept)
        {
            var record = new RecordRef(RecordDirectory.ContactType, one);
            Timeline = await TimelineView.ReadAsync(timeline, record, before, null, cancellationToken) with { ReadOnly = true };
        }
    }
}
