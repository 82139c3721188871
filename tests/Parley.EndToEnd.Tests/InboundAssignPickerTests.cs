using System.Net;
using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Inbound → Assign in a real browser, with mail sent by swaks: a contact picker that searches as you type, and
/// one click that makes a contact from the From header and assigns the message to her.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class InboundAssignPickerTests(BrowserFixture browser)
{
    private const string AliasDomain = "in.parley.test";

    [Fact]
    public async Task Typing_part_of_a_name_and_picking_the_contact_assigns_the_message_to_her_chatter()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var zoe = await parley.AddContactAsync("Zoë Martin", "zoe@customer.test");
        await parley.AddContactAsync("Ana Lima", "ana@customer.test");
        var id = await UnroutedAsync(parley, "Zoë from another address <zoe.home@elsewhere.test>", "Question from home");

        var page = await browser.SignedInPageAsync(parley);
        await page.GotoAsync("/inbound");
        var row = page.Locator($"#inbound-{id}");
        await row.Locator(".contact-search").PressSequentiallyAsync("zoë");
        var choice = row.Locator(".contact-choice");
        await Assertions.Expect(choice).ToHaveTextAsync("Zoë Martin <zoe@customer.test>");
        await BrowserFixture.ScreenshotAsync(page, "inbound-picker");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "inbound-picker-390");
        await page.SetViewportSizeAsync(1280, 800);
        await choice.ClickAsync();
        await Assertions.Expect(row.Locator("input[name=contactId]")).ToHaveValueAsync(zoe.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await row.Locator("form.assign button[type=submit]").ClickAsync();

        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync($"Message {id} was posted to contact {zoe}'s chatter.");
        await parley.WaitForMessageAsync($"/api/v1/records/contact/{zoe}", m => m.GetProperty("subject").GetString() == "Question from home");
    }

    [Fact]
    public async Task The_search_answers_only_a_signed_in_user_and_matches_email_too()
    {
        await using var parley = await ParleyHost.ServeAsync();
        await parley.AddContactAsync("Zoë Martin", "zoe@customer.test");
        var page = await browser.SignedInPageAsync(parley);
        var found = await page.APIRequest.GetAsync("/inbound?handler=Contacts&q=customer.test");
        Assert.Equal(200, found.Status);
        var match = System.Text.Json.JsonDocument.Parse(await found.TextAsync()).RootElement.EnumerateArray().Single();
        Assert.Equal("Zoë Martin", match.GetProperty("name").GetString());

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = parley.BaseUrl };
        var refused = await anonymous.GetAsync("/inbound?handler=Contacts&q=customer.test");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/login", refused.Headers.Location!.ToString());
    }

    [Fact]
    public async Task New_contact_from_the_sender_makes_the_contact_from_the_from_header_and_assigns_the_message()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var id = await UnroutedAsync(parley, "Bruno Costa <Bruno@NewCo.test>", "First contact");

        var page = await browser.SignedInPageAsync(parley);
        var forged = await page.APIRequest.PostAsync("/inbound?handler=AssignToSender", new() { Form = page.APIRequest.CreateFormData().Set("id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)) });
        Assert.Equal(400, forged.Status);
        Assert.Equal(1, (await parley.GetAsync("/api/v1/inbound/stats")).GetProperty("unrouted").GetInt32());

        await page.GotoAsync("/inbound");
        await page.Locator($"#inbound-{id} .assign-to-sender").ClickAsync();

        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync($"Bruno Costa <bruno@newco.test> was added to your contacts, and message {id} was posted to the new chatter.");
        await BrowserFixture.ScreenshotAsync(page, "inbound-from-sender");
        var contacts = await parley.GetAsync("/api/v1/contacts?q=bruno");
        var bruno = contacts.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("Bruno Costa", bruno.GetProperty("name").GetString());
        await parley.WaitForMessageAsync($"/api/v1/records/contact/{bruno.GetProperty("id").GetInt64()}", m => m.GetProperty("subject").GetString() == "First contact");
        Assert.Equal(0, (await parley.GetAsync("/api/v1/inbound/stats")).GetProperty("unrouted").GetInt32());
    }

    /// <summary>Sends a message to an unknown address on the alias domain and waits until it is unrouted; its id.</summary>
    private static async Task<long> UnroutedAsync(ParleyHost parley, string from, string subject)
    {
        await parley.UseAliasDomainAsync(AliasDomain);
        var sent = await Swaks.SendAsync(new SwaksOptions
        {
            Port = parley.SmtpPort,
            From = "bounce-addr@elsewhere.test",
            To = ["nobody@" + AliasDomain],
            Headers = [$"From: {from}", $"Subject: {subject}"],
        });
        Assert.Equal(0, sent.ExitCode);
        await parley.WaitForInboundStatsAsync(s => s.GetProperty("unrouted").GetInt32() == 1, "the message is unrouted");
        return (await parley.GetAsync("/api/v1/inbound/unrouted"))[0].GetProperty("id").GetInt64();
    }
}
