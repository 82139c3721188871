using Parley.Core.Suppression;

namespace Parley.Api;

public sealed record SuppressionBody(string? Address, string? Reason);

public sealed record SuppressionDto(long Id, string Address, SuppressionReason Reason, string? Detail, DateTimeOffset CreatedAt)
{
    public static SuppressionDto Of(SuppressedAddress s) => new(s.Id, s.Address, s.Reason, s.Detail, s.CreatedAt);
}

public static class SuppressionsApi
{
    public static void MapSuppressionsApi(this RouteGroupBuilder api)
    {
        var list = api.MapGroup("/suppressions").WithTags("Suppressions");
        list.MapGet("", async (string? q, int? take, SuppressionService service, CancellationToken cancellationToken) =>
            (await service.ListAsync(q, take ?? 200, cancellationToken)).Select(SuppressionDto.Of))
            .WithSummary("Addresses Parley will not email (hard bounces, manual entries), newest first");
        list.MapPost("", async (SuppressionBody body, SuppressionService service, CancellationToken cancellationToken) =>
        {
            var row = await service.AddAsync(body.Address, body.Reason, cancellationToken);
            return Results.Created($"/api/v1/suppressions/{Uri.EscapeDataString(row.Address)}", SuppressionDto.Of(row));
        }).WithSummary("Add an address to the suppression list");
        list.MapDelete("/{address}", async (string address, SuppressionService service, CancellationToken cancellationToken) =>
        {
            await service.RemoveAsync(address, cancellationToken);
            return Results.NoContent();
        }).WithSummary("Remove an address from the suppression list (and forget its bounce count)");
    }
}
