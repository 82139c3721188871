using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Parley.Auth;
using Parley.Core.Common;
using Parley.Core.Records;

namespace Parley.Api;

/// <param name="Assignee">A user's id; null unassigns; left out, unchanged.</param>
/// <param name="Fields">Values by field key; null clears a field; a field left out is unchanged.</param>
/// <param name="Version">The version the edit was made on: an edit of an older version gets 409 with what changed.</param>
public sealed record RecordBody(string? Stage, JsonElement Assignee, Dictionary<string, JsonElement>? Fields, int? Version)
{
    public RecordInput ToInput()
    {
        var setsAssignee = Assignee.ValueKind != JsonValueKind.Undefined;
        long? assignee = null;
        if (Assignee.ValueKind == JsonValueKind.Number && Assignee.TryGetInt64(out var id))
        {
            assignee = id;
        }
        else if (setsAssignee && Assignee.ValueKind != JsonValueKind.Null)
        {
            throw new InvalidInputException("assignee", "assignee is a user's id (a number), or null to unassign.");
        }
        return new RecordInput(Stage, Fields?.ToDictionary(f => f.Key, f => (object?)f.Value), setsAssignee, assignee, Version);
    }
}

public sealed record CreatedRecordDto(long Id, string Reference);

public sealed record RecordDto(
    long Id, string Type, string Reference, string Title, string Stage, long? Assignee, IReadOnlyDictionary<string, object?> Fields, int Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public static RecordDto Of(RecordSnapshot r) => new(
        r.Record.Id, r.Type.Key, r.Record.Reference, r.Title, r.Stage.Key, r.Record.AssigneeUserId, r.ApiFields(), r.Record.Version,
        r.Record.CreatedAt, r.Record.UpdatedAt, r.Record.UpdatedByName);
}

public static class RecordsApi
{
    /// <summary>The list's own query words; every other query word filters by the field of that key.</summary>
    private static readonly HashSet<string> ListWords = ["stage", "q", "sort", "skip", "take", "assignee"];

    public static void MapRecordsApi(this RouteGroupBuilder api)
    {
        var records = api.MapGroup("/records/{type}").WithTags("Records");

        records.MapPost("", async (string type, RecordBody body, RecordService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var record = await service.CreateAsync(type, body.ToInput(), user.ToActingUser(), cancellationToken);
            return Results.Created($"/api/v1/records/{record.Type.Key}/{record.Record.Id}", new CreatedRecordDto(record.Record.Id, record.Record.Reference));
        }).WithSummary("Create a record of a type (in its first stage unless stage is given)");

        records.MapGet("", async (string type, HttpRequest request, RecordReader reader, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var (page, total) = await reader.ListAsync(type, ListQuery(request.Query, user), cancellationToken);
            return new { total, items = page.Select(RecordDto.Of) };
        }).WithSummary("List records: ?stage=&q=&sort=(-)field&skip=&take=&assignee=(id|me)&customer=&<field>=<value>");

        records.MapGet("/{id:long}", async (string type, long id, RecordReader reader, CancellationToken cancellationToken) =>
            RecordDto.Of(await reader.GetAsync(type, id, cancellationToken))).WithSummary("One record");

        records.MapPut("/{id:long}", async (string type, long id, RecordBody body, RecordService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            RecordDto.Of(await service.UpdateAsync(type, id, body.ToInput(), user.ToActingUser(), cancellationToken)))
            .WithSummary("Change a record (any subset of stage, assignee and fields); send version to be told of a concurrent edit (409)");
    }

    private static RecordListQuery ListQuery(IQueryCollection query, ClaimsPrincipal user)
    {
        var errors = new Dictionary<string, string[]>();
        int Int(string name, int fallback)
        {
            var text = query[name].ToString();
            if (text.Length == 0)
            {
                return fallback;
            }
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
            errors[name] = [$"{name} is a whole number."];
            return fallback;
        }
        var skip = Int("skip", 0);
        var take = Int("take", 50);
        long? assignee = null;
        var assigneeText = query["assignee"].ToString();
        if (assigneeText == "me")
        {
            assignee = user.ToActingUser().Id;
        }
        else if (assigneeText.Length > 0)
        {
            if (long.TryParse(assigneeText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                assignee = id;
            }
            else
            {
                errors["assignee"] = ["assignee is a user's id, or me."];
            }
        }
        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }
        var filters = query.Where(q => !ListWords.Contains(q.Key)).ToDictionary(q => q.Key, q => q.Value.ToString());
        return new RecordListQuery(query["stage"].ToString() is { Length: > 0 } s ? s : null, query["q"], query["sort"], skip, take, assignee, filters);
    }
}
