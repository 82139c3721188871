using Parley.Core.Domains;

namespace Parley.Api;

public sealed record DomainBody(string? Name);

public sealed record DkimKeyDto(string Selector, DkimAlgorithm Algorithm, bool Active, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt, string Record);

public sealed record DomainDto(long Id, string Name, DateTimeOffset CreatedAt, IEnumerable<DkimKeyDto> DkimKeys)
{
    public static DomainDto From(SendingDomain d) => new(d.Id, d.Name, d.CreatedAt, d.Keys.OrderBy(k => k.RetiredAt.HasValue).ThenBy(k => k.Algorithm).Select(k =>
        new DkimKeyDto(k.Selector, k.Algorithm, k.IsActive, k.CreatedAt, k.RetiredAt, k.RecordValue)));
}

public static class DomainsApi
{
    public static void MapDomainsApi(this RouteGroupBuilder api)
    {
        var domains = api.MapGroup("/domains").WithTags("Sending domains");

        domains.MapPost("", async (DomainBody body, SendingDomainService service, CancellationToken cancellationToken) =>
        {
            var domain = await service.RegisterAsync(body.Name, cancellationToken);
            return Results.Created($"/api/v1/domains/{domain.Name}", DomainDto.From(domain));
        }).WithSummary("Register a sending domain; Parley generates its DKIM keys (RSA-2048 and Ed25519)");

        domains.MapGet("", async (SendingDomainService service, CancellationToken cancellationToken) =>
            (await service.ListAsync(cancellationToken)).Select(DomainDto.From)).WithSummary("Sending domains and their DKIM selectors");

        domains.MapGet("/{domain}", async (string domain, SendingDomainService service, CancellationToken cancellationToken) =>
            DomainDto.From(await service.GetAsync(domain, cancellationToken)));

        domains.MapGet("/{domain}/dns-records", async (string domain, SendingDomainService service, CancellationToken cancellationToken) =>
            (await service.RecordsAsync(domain, cancellationToken)).Select(r => new { type = r.Type, name = r.Name, value = r.Value, purpose = r.Purpose }))
            .WithSummary("The exact DNS records this installation needs for the domain (DKIM, SPF, DMARC, MX)");

        domains.MapPost("/{domain}/dkim/rotate", async (string domain, SendingDomainService service, CancellationToken cancellationToken) =>
            DomainDto.From(await service.RotateKeysAsync(domain, cancellationToken)))
            .WithSummary("New DKIM keys under new selectors; the old ones are retired but listed until you remove their records");

        domains.MapDoctorApi();
    }
}
