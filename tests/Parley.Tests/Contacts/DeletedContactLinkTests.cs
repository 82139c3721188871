using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Contacts;

/// <summary>A link to a deleted contact (from the Outbox, Inbound or an email) opens what deletion kept, not a 404.</summary>
public sealed class DeletedContactLinkTests
{
    [Fact]
    public async Task The_page_of_a_deleted_contact_leads_to_her_kept_timeline_and_an_unknown_id_is_still_not_found()
    {
        await using var host = await ParleyHost.ServeAsync();
        var created = await host.Api.PostAsJsonAsync("/api/v1/contacts", new { name = "Zoe Deleted", email = "zoe@deleted.test" });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await host.Api.DeleteAsync($"/api/v1/contacts/{id}?timeline=keep")).StatusCode);

        using var browser = new FormClient(host.BaseUrl);
        await browser.SignInAsync(ParleyHost.AdminEmail, ParleyHost.Password);
        var page = await browser.GetAsync($"/contacts/{id}");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal($"/contacts/deleted/{id}", page.Headers.Location?.OriginalString);
        var kept = await browser.GetAsync($"/contacts/deleted/{id}");
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Contains("Zoe Deleted", await kept.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/contacts/{id + 1000}")).StatusCode);
    }
}
