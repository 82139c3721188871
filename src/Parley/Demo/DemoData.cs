using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Contacts;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Core.Settings;
using Parley.Core.Templates;

namespace Parley.Demo;

/// <summary>
/// A small, believable data set for `serve --demo`: an admin to sign in with, contacts, a template
/// and one conversation. Only loaded into an empty database, so it never mixes with real data.
/// </summary>
public static class DemoData
{
    public const string AdminEmail = "admin@demo.parley.test";
    public const string AdminPassword = "parley-demo-password";
    public const string AliasDomain = "demo.parley.test";

    private static readonly (string Name, string Email, string Company, string Tags)[] People =
    [
        ("Ana Lima", "ana.lima@example.com", "Lima Bakery", "customer,vip"),
        ("Bruno Costa", "bruno@costa-freight.example", "Costa Freight", "prospect"),
        ("Chloé Martin", "chloe.martin@example.org", "Atelier Martin", "customer"),
        ("Dmitri Volkov", "dmitri@volkov.example", "Volkov & Sons", "supplier"),
        ("Elif Şahin", "elif.sahin@example.net", "Şahin Textiles", "customer"),
        ("Farah Khan", "farah@khan-design.example", "Khan Design", "prospect,newsletter"),
        ("Gustav Berg", "gustav.berg@example.com", "Berg Outdoor", "customer"),
        ("Hana Sato", "hana.sato@example.jp", "Sato Tea House", "customer,newsletter"),
        ("Ivan Petrov", "ivan@petrov-logistics.example", "Petrov Logistics", "prospect"),
        ("Julia Novak", "julia.novak@example.com", "Novak Legal", "customer,vip"),
        ("Kwame Mensah", "kwame@mensah.example", "Mensah Farms", "supplier"),
        ("Lucía Fernández", "lucia.fernandez@example.es", "Fernández Vinos", "customer"),
    ];

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<ParleyDbContext>();
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Parley.Demo");
        if (await db.Users.AnyAsync(ct))
        {
            log.LogInformation("Demo data not loaded: this database already has users.");
            return;
        }

        var admin = await sp.GetRequiredService<UserService>().CreateAsync("Demo Admin", AdminEmail, AdminPassword, isAdmin: true, ct);
        await sp.GetRequiredService<SettingsService>().SetAliasDomainAsync(AliasDomain, ct);
        var contacts = sp.GetRequiredService<ContactService>();
        var created = new List<Contact>();
        foreach (var (name, email, company, tags) in People)
            created.Add(await contacts.CreateAsync(new ContactInput(name, email, company, null, tags), ct));

        await sp.GetRequiredService<TemplateService>().CreateAsync(new TemplateInput(
            "Welcome", "contact", "Welcome to {{ record.company }}, {{ record.first_name }}",
            "Hello {{ record.first_name }},\n\nThank you for getting in touch. I am your contact here; reply to this email any time.\n\nBest regards,\n{{ user.name }}"), ct);
        await sp.GetRequiredService<TemplateService>().CreateAsync(new TemplateInput(
            "Quote follow-up", "contact", "Your quote, {{ record.name }}",
            "Hi {{ record.first_name }},\n\nHave you had a chance to look at the quote we sent? Happy to answer any questions.\n\n{{ user.name }}"), ct);

        // One conversation to show what a timeline looks like: a note, an email out, the reply in.
        var ana = created[0];
        var acting = UserService.ToActing(admin);
        var chatter = sp.GetRequiredService<ChatterService>();
        var record = new Core.Records.RecordRef("contact", ana.Id);
        await chatter.PostNoteAsync(record, "Met Ana at the trade fair; she wants a quote for 200 boxes a month.", acting, ct);
        var clock = sp.GetRequiredService<TimeProvider>();
        db.Messages.Add(new ChatterMessage
        {
            RecordType = "contact", RecordId = ana.Id, Kind = MessageKind.Email, Direction = MessageDirection.In,
            AuthorName = ana.Name, From = $"\"{ana.Name}\" <{ana.Email}>", To = $"reply@{AliasDomain}",
            Subject = "Re: Your quote", BodyText = "Thanks! The price works for us. Could you deliver on Tuesdays?\n\nAna",
            MessageId = $"demo-reply-1@{ana.Email.Split('@')[1]}", State = DeliveryState.Received, CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        log.LogInformation("Demo data loaded. Sign in as {Email} with the password {Password}.", AdminEmail, AdminPassword);
    }
}
