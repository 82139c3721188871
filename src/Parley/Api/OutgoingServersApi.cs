using Parley.Core.Outbox;
using Parley.Smtp.Delivery;

namespace Parley.Api;

public sealed record OutgoingServerBody(
    string? Name, string? Host, int? Port, string? Security, string? Username, string? Password, int? Priority,
    string? FromFilter = null, string? SpfInclude = null, bool? ValidateCertificate = null, bool? AllowPlainTextLogin = null);

public sealed record ConnectionTestBody(string? From, string? To);

public sealed record OutgoingServerDto(
    long Id, string Name, string Host, int Port, SmtpSecurity Security, string? Username, bool HasPassword, int Priority,
    string FromFilter, string? SpfInclude, bool ValidateCertificate, bool AllowPlainTextLogin)
{
    public static OutgoingServerDto From(OutgoingServer s) => new(
        s.Id, s.Name, s.Host, s.Port, s.Security, s.Username, s.ProtectedPassword is not null, s.Priority,
        s.FromFilter, s.SpfInclude, s.ValidateCertificate, s.AllowPlainTextLogin);
}

public static class OutgoingServersApi
{
    public static void MapOutgoingServersApi(this RouteGroupBuilder api)
    {
        var servers = api.MapGroup("/outgoing-servers").WithTags("Outgoing servers");

        servers.MapPost("", async (OutgoingServerBody body, OutgoingServerService service, CancellationToken cancellationToken) =>
        {
            var server = await service.CreateAsync(ToInput(body), cancellationToken);
            return Results.Created($"/api/v1/outgoing-servers/{server.Id}", new CreatedDto(server.Id));
        }).WithSummary("Add an SMTP relay (the password is stored encrypted and never returned)");

        servers.MapGet("", async (OutgoingServerService service, CancellationToken cancellationToken) =>
            (await service.ListAsync(cancellationToken)).Select(OutgoingServerDto.From)).WithSummary("List SMTP relays");

        servers.MapPut("/{id:long}", async (long id, OutgoingServerBody body, OutgoingServerService service, CancellationToken cancellationToken) =>
            OutgoingServerDto.From(await service.UpdateAsync(id, ToInput(body), cancellationToken))).WithSummary("Change an SMTP relay (an empty password keeps the stored one)");

        servers.MapPost("/{id:long}/test", async (long id, ConnectionTestBody? body, OutgoingServerService service, Mail.RelayConnectionTester tester, CancellationToken cancellationToken) =>
            await tester.TestAsync(await service.GetAsync(id, cancellationToken), body?.From, body?.To, cancellationToken))
            .WithSummary("Connect, EHLO, STARTTLS, log in, MAIL FROM and RCPT TO, without sending anything");

        servers.MapDelete("/{id:long}", async (long id, OutgoingServerService service, CancellationToken cancellationToken) =>
        {
            await service.DeleteAsync(id, cancellationToken);
            return Results.NoContent();
        }).WithSummary("Remove an SMTP relay");
    }

    private static OutgoingServerInput ToInput(OutgoingServerBody b) =>
        new(b.Name, b.Host, b.Port, b.Security, b.Username, b.Password, b.Priority, b.FromFilter, b.SpfInclude, b.ValidateCertificate,
            b.AllowPlainTextLogin);
}
