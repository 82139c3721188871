using Parley.Core.Fetch;

namespace Parley.Api;

public sealed record FetchAccountBody(
    string? Name, string? Protocol, string? Host, int? Port, string? Security, string? Username, string? Password,
    string? Folder = null, string? AfterFetch = null, string? MoveToFolder = null, int? IntervalSeconds = null,
    bool? Enabled = null, bool? ValidateCertificate = null)
{
    public FetchAccountInput ToInput() =>
        new(Name, Protocol, Host, Port, Security, Username, Password, Folder, AfterFetch, MoveToFolder, IntervalSeconds, Enabled, ValidateCertificate);
}

public sealed record FetchAccountDto(
    long Id, string Name, FetchProtocol Protocol, string Host, int Port, FetchSecurity Security, bool ValidateCertificate, string Username, bool HasPassword,
    string Folder, FetchAfterAction AfterFetch, string? MoveToFolder, int IntervalSeconds, bool Enabled,
    DateTimeOffset? LastRunAt, DateTimeOffset? LastSuccessAt, string? LastError, int LastFetched, int ConsecutiveFailures)
{
    public static FetchAccountDto From(FetchAccount a) => new(
        a.Id, a.Name, a.Protocol, a.Host, a.Port, a.Security, a.ValidateCertificate,
        a.Username, a.PasswordProtected is not null, a.Folder, a.AfterFetch, a.MoveToFolder, a.IntervalSeconds,
        a.Enabled, a.LastRunAt, a.LastSuccessAt, a.LastError, a.LastFetched, a.ConsecutiveFailures);
}

public sealed record FetchFailureDto(long Id, long AccountId, string RemoteId, string? Subject, int Attempts, bool GaveUp, string Error, DateTimeOffset LastAttemptAt)
{
    public static FetchFailureDto From(FetchFailure f) => new(f.Id, f.FetchAccountId, f.RemoteId, f.Subject, f.Attempts, f.GaveUp, f.Error, f.LastAttemptAt);
}

public static class FetchAccountsApi
{
    public static void MapFetchAccountsApi(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/fetch-accounts").WithTags("Mailbox fetch");

        accounts.MapGet("", async (FetchAccountService service, CancellationToken cancellationToken) =>
            (await service.ListAsync(cancellationToken)).Select(FetchAccountDto.From)).WithSummary("List the IMAP/POP3 mailboxes Parley fetches, with their last result");

        accounts.MapPost("", async (FetchAccountBody body, FetchAccountService service, CancellationToken cancellationToken) =>
        {
            var account = await service.CreateAsync(body.ToInput(), cancellationToken);
            return Results.Created($"/api/v1/fetch-accounts/{account.Id}", FetchAccountDto.From(account));
        }).WithSummary("Add a mailbox to fetch (the password is stored encrypted and never returned)");

        accounts.MapGet("/{id:long}", async (long id, FetchAccountService service, CancellationToken cancellationToken) =>
            FetchAccountDto.From(await service.GetAsync(id, cancellationToken))).WithSummary("One mailbox to fetch");

        accounts.MapPut("/{id:long}", async (long id, FetchAccountBody body, FetchAccountService service, CancellationToken cancellationToken) =>
            FetchAccountDto.From(await service.UpdateAsync(id, body.ToInput(), cancellationToken))).WithSummary("Change a mailbox to fetch (an empty password keeps the stored one)");

        accounts.MapDelete("/{id:long}", async (long id, FetchAccountService service, CancellationToken cancellationToken) =>
        {
            await service.DeleteAsync(id, cancellationToken);
            return Results.NoContent();
        }).WithSummary("Stop fetching a mailbox (messages already fetched stay)");

        accounts.MapPost("/{id:long}/test", async (long id, FetchAccountService service, FetchCoordinator coordinator, CancellationToken cancellationToken) =>
        {
            var account = await service.GetAsync(id, cancellationToken);
            return await coordinator.TestAsync(account, cancellationToken);
        }).WithSummary("Log in and count the messages; nothing is fetched or changed");

        accounts.MapPost("/{id:long}/fetch-now", async (long id, FetchAccountService service, FetchCoordinator coordinator, CancellationToken cancellationToken) =>
        {
            await service.GetAsync(id, cancellationToken);
            return await coordinator.FetchNowAsync(id, cancellationToken);
        }).WithSummary("Fetch new messages now, without waiting for the schedule");

        accounts.MapGet("/{id:long}/failures", async (long id, FetchAccountService service, CancellationToken cancellationToken) =>
        {
            await service.GetAsync(id, cancellationToken);
            return (await service.FailuresAsync(id, cancellationToken)).Select(FetchFailureDto.From);
        }).WithSummary("Messages of this mailbox that could not be stored (left untouched on the server)");

        accounts.MapPost("/{id:long}/failures/{failureId:long}/retry", async (long id, long failureId, FetchAccountService service,
            FetchCoordinator coordinator, CancellationToken cancellationToken) =>
        {
            await service.GetAsync(id, cancellationToken);
            return await coordinator.RetryAsync(id, failureId, cancellationToken);
        }).WithSummary("Try a message that could not be stored again, now (after fixing the cause); returns the fetch's result");
    }
}
