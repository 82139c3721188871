using System.Text;
using Parley.Auth;
using Parley.Core.Common;
using Parley.Core.Contacts;

namespace Parley.Api;

public sealed record ContactDto(long Id, string Name, string Email, string? Company, string? Phone, string[] Tags, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string? Language)
{
    public static ContactDto From(Contact c) =>
        new(c.Id, c.Name, c.Email, c.Company, c.Phone, c.Tags.Split(',', StringSplitOptions.RemoveEmptyEntries), c.CreatedAt, c.UpdatedAt, c.Language);
}

public sealed record ContactBody(string? Name, string? Email, string? Company, string? Phone, string? Tags, string? Language)
{
    public ContactInput ToInput() => new(Name, Email, Company, Phone, Tags, Language);
}

public sealed record CreatedDto(long Id);

public static class ContactsApi
{
    private const long MaxCsvBytes = 20 * 1024 * 1024;

    public static void MapContactsApi(this RouteGroupBuilder api)
    {
        var contacts = api.MapGroup("/contacts").WithTags("Contacts");

        contacts.MapPost("", async (ContactBody body, ContactService service, System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var contact = await service.CreateAsync(body.ToInput(), user.ToActingUser(), cancellationToken);
            return Results.Created($"/api/v1/contacts/{contact.Id}", new CreatedDto(contact.Id));
        }).WithSummary("Create a contact");

        contacts.MapGet("/{id:long}", async (long id, ContactService service, CancellationToken cancellationToken) =>
            ContactDto.From(await service.GetAsync(id, cancellationToken))).WithSummary("Get a contact");

        contacts.MapPut("/{id:long}", async (long id, ContactBody body, ContactService service, CancellationToken cancellationToken) =>
            ContactDto.From(await service.UpdateAsync(id, body.ToInput(), cancellationToken)))
            .WithSummary("Update a contact");

        contacts.MapGet("", async (string? q, string? sort, int? skip, int? take, ContactService service, CancellationToken cancellationToken) =>
        {
            var order = ApiEnums.ParseQuery<ContactSort>(sort, "sort") ?? ContactSort.Name;
            var (page, total) = await service.SearchAsync(q, order, skip ?? 0, take ?? 50, cancellationToken);
            return new { total, items = page.Select(ContactDto.From) };
        }).WithSummary("Search contacts by name, email, company or tag; sort=name (default), email or activity (latest first); numbers sort as numbers");

        contacts.MapDelete("/{id:long}", async (long id, string? timeline, ContactDeletion deletion, System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var kept = ApiEnums.ParseQuery<DeletedTimeline>(timeline, "timeline") ?? DeletedTimeline.Keep;
            await deletion.DeleteAsync(id, kept, user.ToActingUser(), cancellationToken);
            return Results.NoContent();
        }).WithSummary("Delete a contact (an admin, or the user who added her); timeline=keep (default: readable under Deleted contacts) or delete");

        contacts.MapPost("/import", async (HttpRequest request, ContactImporter importer, CancellationToken cancellationToken) =>
        {
            if (request.ContentLength > MaxCsvBytes)
            {
                throw new InvalidInputException("csv", $"The file is larger than {MaxCsvBytes / 1024 / 1024} MB; please split it.");
            }

            using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return await importer.ImportAsync(reader, cancellationToken);
        })
        .Accepts<string>("text/csv")
        .WithSummary("Import contacts from CSV (header name,email[,company,phone,tags]); existing emails are updated: tags added, columns the file lacks kept");
    }
}
