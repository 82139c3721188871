using Parley.Core.Records;

namespace Parley.Api;

public sealed record RecordFieldDto(string Key, string Label, string Type, bool Required, bool Tracked, IReadOnlyList<string>? Choices, string? Currency)
{
    public static RecordFieldDto Of(RecordField f) =>
        new(f.Key, f.Label, FieldTypes.NameOf(f.Type), f.Required, f.Tracked, f.Type == FieldType.Choice ? f.ChoiceList : null, f.Currency);
}

public sealed record RecordStageDto(string Key, string Name, bool Done, bool Cancelled)
{
    public static RecordStageDto Of(RecordStage s) => new(s.Key, s.Name, s.IsDone, s.IsCancelled);
}

/// <param name="RemovedFields">Fields taken out of the type: hidden, their values kept; putting the key back shows them again.</param>
public sealed record RecordTypeDto(
    string Key, string Name, string SingularLabel, string Prefix, string? CustomerField, IEnumerable<RecordFieldDto> Fields,
    IEnumerable<RecordStageDto> Stages, IEnumerable<RecordFieldDto> RemovedFields, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static RecordTypeDto Of(RecordType t) => new(
        t.Key, t.Name, t.SingularLabel, t.Prefix, t.CustomerField, t.ActiveFields.Select(RecordFieldDto.Of), t.OrderedStages.Select(RecordStageDto.Of),
        t.Fields.Where(f => f.Removed).OrderBy(f => f.Position).Select(RecordFieldDto.Of), t.CreatedAt, t.UpdatedAt);
}

public static class RecordTypesApi
{
    public static void MapRecordTypesApi(this RouteGroupBuilder api)
    {
        var types = api.MapGroup("/record-types").WithTags("Record types");

        types.MapPost("", async (RecordTypeInput body, RecordTypeService service, CancellationToken cancellationToken) =>
        {
            var type = await service.CreateAsync(body, cancellationToken);
            return Results.Created($"/api/v1/record-types/{type.Key}", RecordTypeDto.Of(type));
        }).WithSummary("Define a record type: fields (text, longtext, number, money, date, datetime, bool, choice, contact, user), customer field, stages");

        types.MapGet("", async (RecordTypeService service, CancellationToken cancellationToken) =>
            (await service.ListAsync(cancellationToken)).Select(RecordTypeDto.Of)).WithSummary("Every record type");

        types.MapGet("/{key}", async (string key, RecordTypeService service, CancellationToken cancellationToken) =>
            RecordTypeDto.Of(await service.GetAsync(key, cancellationToken))).WithSummary("One record type");

        types.MapPut("/{key}", async (string key, RecordTypeInput body, RecordTypeService service, CancellationToken cancellationToken) =>
            RecordTypeDto.Of(await service.UpdateAsync(key, body, cancellationToken)))
            .WithSummary("Change a record type (the whole definition); a field left out is hidden, its values kept");

        types.MapDelete("/{key}", async (string key, RecordTypeService service, CancellationToken cancellationToken) =>
        {
            await service.DeleteAsync(key, cancellationToken);
            return Results.NoContent();
        }).WithSummary("Delete a record type that has no records");
    }
}
