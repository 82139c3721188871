using Microsoft.AspNetCore.Mvc;
using Parley.Core.Common;
using Parley.Core.Records;

namespace Parley.Pages.Records;

/// <summary>A kanban board of one type's records by stage; dragging a card to another column changes its stage.</summary>
public sealed class BoardModel(RecordTypeService types, RecordReader reader, RecordService records) : ParleyPageModel
{
    /// <summary>Cards per column: the most recently changed first.</summary>
    public const int PerStage = 100;

    [BindProperty(SupportsGet = true)] public string Type { get; set; } = "";
    public RecordType RecordType { get; private set; } = null!;
    public Dictionary<long, (List<RecordSnapshot> Cards, int Total)> Columns { get; private set; } = [];

    /// <summary>A field a card shows under its title: the first money or number field.</summary>
    public RecordField? Figure => RecordType.ActiveFields.FirstOrDefault(f => f.Type is FieldType.Money or FieldType.Number);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        RecordType = await types.GetAsync(Type, cancellationToken);
        Type = RecordType.Key;
        foreach (var stage in RecordType.OrderedStages)
        {
            Columns[stage.Id] = await reader.ListAsync(Type, new RecordListQuery(Stage: stage.Key, Sort: "-updated_at", Take: PerStage), cancellationToken);
        }
    }

    /// <summary>The board's drop: JSON back, with the card's new version, or why it did not move.</summary>
    public async Task<IActionResult> OnPostMoveAsync(long id, string stage, int version, CancellationToken cancellationToken)
    {
        try
        {
            var moved = await records.UpdateAsync(Type, id, new RecordInput(stage, null, Version: version), Acting, cancellationToken);
            return new JsonResult(new { version = moved.Record.Version, stage = moved.Stage.Key });
        }
        catch (InvalidInputException e)
        {
            return new JsonResult(new { error = e.Message }) { StatusCode = 400 };
        }
        catch (ConflictException e)
        {
            return new JsonResult(new { error = e.Message }) { StatusCode = 409 };
        }
    }
}
