using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Identity;

namespace Parley.Core.Records;

/// <summary>
/// The chatter events of a record's life: its creation, and one event per tracked change (the stage, the assignee, and
/// every field marked tracked) with the old and new value and who made it — "Stage: Draft → Sent". Added to the caller's
/// unit of work, so an event exists exactly when its change does.
/// </summary>
public sealed class RecordTracking(ParleyDbContext db)
{
    public const string Empty = "(empty)";

    public ChatterMessage Created(RecordType type, BusinessRecord record, ActingUser user, DateTimeOffset now) =>
        Add(type.Key, record.Id, $"{type.SingularLabel} {record.Reference} created.", user, now);

    public List<ChatterMessage> Changes(RecordSnapshot before, RecordSnapshot after, ActingUser user, DateTimeOffset now)
    {
        var lines = new List<string>();
        if (before.Record.StageId != after.Record.StageId)
        {
            lines.Add(Line("Stage", before.Stage.Name, after.Stage.Name));
        }
        if (before.Record.AssigneeUserId != after.Record.AssigneeUserId)
        {
            lines.Add(Line("Assignee", before.Assignee?.Name, after.Assignee?.Name));
        }
        foreach (var field in after.Type.ActiveFields.Where(f => f.Tracked))
        {
            if (before.TextOf(field) != after.TextOf(field))
            {
                lines.Add(Line(field.Label, before.Display(field), after.Display(field)));
            }
        }
        return lines.Select(line => Add(after.Type.Key, after.Record.Id, line, user, now)).ToList();
    }

    private static string Line(string label, string? from, string? to) =>
        $"{label}: {(string.IsNullOrEmpty(from) ? Empty : from)} → {(string.IsNullOrEmpty(to) ? Empty : to)}";

    private ChatterMessage Add(string type, long id, string text, ActingUser user, DateTimeOffset now)
    {
        var message = ChatterEntries.Event(new RecordRef(type, id), user, text, now);
        db.Messages.Add(message);
        return message;
    }
}
