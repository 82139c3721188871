using Parley.Core.Followers;
using Parley.Core.Records;

namespace Parley.Api;

public sealed record FollowerBody(long? ContactId, long? UserId);

public sealed record FollowerDto(long Id, string Name, string Email, long? ContactId, long? UserId, DateTimeOffset CreatedAt)
{
    public static FollowerDto Of(Follower f) => new(f.Id, f.Name, f.Email, f.ContactId, f.UserId, f.CreatedAt);
}

public static class FollowersApi
{
    public static void MapFollowersApi(this RouteGroupBuilder api)
    {
        var followers = api.MapGroup("/records/{type}/{id:long}/followers").WithTags("Followers");
        followers.MapGet("", async (string type, long id, FollowerService service, CancellationToken cancellationToken) =>
            (await service.ListAsync(new RecordRef(type, id), cancellationToken)).Select(FollowerDto.Of))
            .WithSummary("Who receives this record's discussion by email");
        followers.MapPost("", async (string type, long id, FollowerBody body, FollowerService service, CancellationToken cancellationToken) =>
        {
            var follower = await service.AddAsync(new RecordRef(type, id), body.ContactId, body.UserId, cancellationToken);
            return Results.Created($"/api/v1/records/{type}/{id}/followers/{follower.Id}", FollowerDto.Of(follower));
        }).WithSummary("Add a contact (contactId) or a user (userId) as a follower");
        followers.MapDelete("/{followerId:long}", async (string type, long id, long followerId, FollowerService service, CancellationToken cancellationToken) =>
        {
            await service.RemoveAsync(new RecordRef(type, id), followerId, cancellationToken);
            return Results.NoContent();
        }).WithSummary("Stop a follower receiving this record's discussion");
    }
}
