using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Contacts;
using Parley.Core.Data;
using Parley.Core.Domains;
using Parley.Core.Identity;
using Parley.Core.Settings;
using Parley.Core.Templates;

namespace Parley.Demo;

/// <summary>
/// A small, believable data set for `serve --demo`: an admin to sign in with, contacts, a template
/// and one conversation. Only loaded into an empty database, so it never mixes with real data. It
/// mails nobody: the contacts are at reserved example domains, which accept no mail, and the
/// doctor's findings are not emailed (ParleyServer turns Doctor:Schedule:EmailAdmins off).
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
        ("Hana Sato", "hana@sato-tea.example", "Sato Tea House", "customer,newsletter"),
        ("Ivan Petrov", "ivan@petrov-logistics.example", "Petrov Logistics", "prospect"),
        ("Julia Novak", "julia.novak@example.com", "Novak Legal", "customer,vip"),
        ("Kwame Mensah", "kwame@mensah.example", "Mensah Farms", "supplier"),
        ("Lucía Fernández", "lucia@fernandez-vinos.example", "Fernández Vinos", "customer"),
    ];

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<ParleyDbContext>();
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Parley.Demo");
        if (await db.Users.AnyAsync(cancellationToken))
        {
            log.LogInformation("Demo data not loaded: this database already has users.");
            return;
        }

        var admin = await sp.GetRequiredService<UserService>().CreateAsync("Demo Admin", AdminEmail, AdminPassword, isAdmin: true, cancellationToken);
        await sp.GetRequiredService<SettingsService>().SetAliasDomainAsync(AliasDomain, cancellationToken);
        var contacts = sp.GetRequiredService<ContactService>();
        var created = new List<Contact>();
        foreach (var (name, email, company, tags) in People)
        {
            created.Add(await contacts.CreateAsync(new ContactInput(name, email, company, null, tags), cancellationToken));
        }

        await sp.GetRequiredService<TemplateService>().CreateAsync(new TemplateInput(
            "Welcome", "contact", "Welcome to {{ record.company }}, {{ record.first_name }}",
            "Hello {{ record.first_name }},\n\nThank you for getting in touch. I am your contact here; reply to this email any time.\n\nBest regards,\n{{ user.name }}"), cancellationToken);
        await sp.GetRequiredService<TemplateService>().CreateAsync(new TemplateInput(
            "Quote follow-up", "contact", "Your quote, {{ record.name }}",
            "Hi {{ record.first_name }},\n\nHave you had a chance to look at the quote we sent? Happy to answer any questions.\n\n{{ user.name }}"), cancellationToken);

        // One conversation to show what a timeline looks like: a note, the email out, then the reply to it. Written as
        // history (sent yesterday, nothing queued): the demo mails nobody.
        var ana = created[0];
        var clock = sp.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        var quote = new ChatterMessage
        {
            RecordType = "contact",
            RecordId = ana.Id,
            Kind = MessageKind.Email,
            Direction = MessageDirection.Out,
            AuthorUserId = admin.Id,
            AuthorName = admin.Name,
            From = $"\"{admin.Name}\" <{AdminEmail}>",
            To = ana.Email,
            Subject = "Your quote",
            BodyText = "Hello Ana,\n\nHere is the quote for 200 boxes a month, delivered weekly. It holds for 30 days.\n\nBest regards,\nDemo Admin",
            MessageId = $"demo-quote-1@{AliasDomain}",
            State = DeliveryState.Sent,
            Route = "Demo data: shown as sent, never sent anywhere.",
            CreatedAt = now.AddHours(-26),
        };
        db.Messages.Add(new ChatterMessage
        {
            RecordType = "contact",
            RecordId = ana.Id,
            Kind = MessageKind.Note,
            AuthorUserId = admin.Id,
            AuthorName = admin.Name,
            BodyText = "Met Ana at the trade fair; she wants a quote for 200 boxes a month.",
            CreatedAt = now.AddHours(-27),
        });
        db.Messages.Add(quote);
        await db.SaveChangesAsync(cancellationToken); // the original is older than its reply, in ids too
        db.Messages.Add(new ChatterMessage
        {
            RecordType = "contact",
            RecordId = ana.Id,
            Kind = MessageKind.Email,
            Direction = MessageDirection.In,
            AuthorName = ana.Name,
            From = $"\"{ana.Name}\" <{ana.Email}>",
            To = $"reply@{AliasDomain}",
            Subject = "Re: Your quote",
            BodyText = "Thanks! The price works for us. Could you deliver on Tuesdays?\n\nAna",
            MessageId = $"demo-reply-1@{ana.Email.Split('@')[1]}",
            InReplyTo = quote.MessageId,
            State = DeliveryState.Received,
            CreatedAt = now.AddHours(-2),
        });
        // The alias domain signs every email Parley sends, so it is a sending domain from the start (Domains page, doctor).
        await sp.GetRequiredService<SendingDomainService>().RegisterAsync(AliasDomain, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        log.LogInformation("Demo data loaded. Sign in as {Email} with the password {Password}.", AdminEmail, AdminPassword);
    }
}
