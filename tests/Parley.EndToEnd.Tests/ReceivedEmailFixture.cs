using System.Text.Json;
using MimeKit;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// One Parley with a "support@" alias that opens a contact for any sender, shared by the tests of a class:
/// each test mails from its own sender, so each gets its own contact.
/// </summary>
public sealed class ReceivedEmailFixture : IAsyncLifetime
{
    private const string AliasDomain = "in.parley.test";

    public ParleyHost Parley { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Parley = await ParleyApi.ServeWithAliasDomainAsync(AliasDomain);
        await Parley.PostAsync("/api/v1/inbound/aliases", new { localPart = "support", contactPolicy = "everyone" });
    }

    /// <summary>Sends <paramref name="message"/> to support@ over SMTP and waits until it is in its sender's chatter.</summary>
    /// <returns>The contact it created and the chatter message's id.</returns>
    public async Task<(long ContactId, long MessageId)> ReceiveAsync(MimeMessage message)
    {
        message.To.Add(MailboxAddress.Parse("support@" + AliasDomain));
        await MailSender.SendAsync(Parley.SmtpPort, message);
        var sender = message.From.Mailboxes.Single().Address;
        var contacts = await Eventually.UntilAsync(async () =>
            {
                var found = await Parley.GetAsync("/api/v1/contacts?q=" + Uri.EscapeDataString(sender));
                return found.ValueKind == JsonValueKind.Array ? found : found.GetProperty("items");
            },
            list => list.GetArrayLength() > 0, TimeSpan.FromSeconds(20), $"a contact for {sender} appears");
        var contactId = contacts[0].GetProperty("id").GetInt64();
        var received = await Parley.WaitForMessageAsync($"/api/v1/records/contact/{contactId}", m => m.GetProperty("subject").GetString() == message.Subject);
        return (contactId, received.GetProperty("id").GetInt64());
    }

    public async Task DisposeAsync()
    {
        await Parley.DisposeAsync();
    }
}
