using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests;

public sealed class ApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private readonly HttpClient _api = fixture.Host.Client(fixture.Token);

    private static string Unique(string local = "c") => $"{local}-{Guid.NewGuid():N}"[..16] + "@customer.test";

    private async Task<long> CreateContactAsync(string? email = null, string name = "Ana Lima")
    {
        var created = await Json.ReadAsync(await _api.Post("/api/v1/contacts", new { name, email = email ?? Unique() }), HttpStatusCode.Created);
        return created.GetProperty("id").GetInt64();
    }

    // ---- auth -------------------------------------------------------------------------------

    [Theory]
    [InlineData(null)]
    [InlineData("pk_not-a-real-token")]
    [InlineData("garbage")]
    public async Task Without_a_valid_token_the_api_answers_401_problem_details(string? token)
    {
        using var client = fixture.Host.Client(token);
        var response = await client.GetAsync("/api/v1/contacts/1");
        var problem = await Json.ReadAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_write_without_a_token_writes_nothing()
    {
        using var anonymous = fixture.Host.Client();
        var email = Unique();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Post("/api/v1/contacts", new { name = "X", email })).StatusCode);
        var search = await Json.ReadAsync(await _api.GetAsync($"/api/v1/contacts?q={email}"), HttpStatusCode.OK);
        Assert.Equal(0, search.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_cookie_less_browser_request_to_the_api_is_not_redirected_to_login()
    {
        using var anonymous = fixture.Host.Client();
        var response = await anonymous.GetAsync("/api/v1/templates");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    // ---- contacts ---------------------------------------------------------------------------

    [Fact]
    public async Task Create_then_get_a_contact()
    {
        var email = Unique("ana");
        var response = await _api.Post("/api/v1/contacts", new { name = " Ana Lima ", email = email.ToUpperInvariant().Replace("@CUSTOMER.TEST", "@Customer.TEST"), company = "Lima & Co", tags = "VIP, lead" });
        var created = await Json.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal(["id"], created.Names());
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/contacts/{id}", response.Headers.Location?.OriginalString);

        var contact = await Json.ReadAsync(await _api.GetAsync($"/api/v1/contacts/{id}"), HttpStatusCode.OK);
        Assert.Equal(id, contact.GetProperty("id").GetInt64());
        Assert.Equal("Ana Lima", contact.GetProperty("name").GetString());
        Assert.EndsWith("@customer.test", contact.GetProperty("email").GetString());
        Assert.Equal("Lima & Co", contact.GetProperty("company").GetString());
        Assert.Equal(["vip", "lead"], contact.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("ana@customer.test\r\nBcc: victim@else.test")]
    [InlineData("")]
    public async Task An_invalid_email_is_a_400_naming_the_field(string email)
    {
        var message = await Json.AssertValidationProblemAsync(await _api.Post("/api/v1/contacts", new { name = "Ana", email }), "email");
        Assert.Contains("email", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Every_bad_field_of_a_contact_is_named()
    {
        var response = await _api.Post("/api/v1/contacts", new { name = "", email = "x", phone = new string('1', 65) });
        await Json.AssertValidationProblemAsync(response, "email");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["email", "name", "phone"], problem.GetProperty("errors").Names());
    }

    [Fact]
    public async Task A_duplicate_contact_is_a_400()
    {
        var email = Unique();
        await CreateContactAsync(email);
        await Json.AssertValidationProblemAsync(await _api.Post("/api/v1/contacts", new { name = "Again", email }), "email");
    }

    [Theory]
    [InlineData("{\"name\": \"Ana\", \"email\": ")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    public async Task Malformed_json_is_a_400_problem_that_says_so(string body)
    {
        var response = await _api.PostRaw("/api/v1/contacts", body, "application/json");
        var problem = await Json.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("JSON", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_contact_is_a_404_problem()
    {
        var response = await _api.GetAsync("/api/v1/contacts/987654");
        var problem = await Json.ReadAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Csv_import_reports_created_updated_and_rejected_lines()
    {
        var existing = Unique("old");
        await CreateContactAsync(existing, "Old Name");
        var fresh = Unique("new");
        var csv = $"\uFEFFname,email,company\r\nNew Person,{fresh},\"Co, Ltd\"\r\nRenamed,{existing},\r\nBad,not-an-email,\r\n";
        var result = await Json.ReadAsync(await _api.PostRaw("/api/v1/contacts/import", csv, "text/csv"), HttpStatusCode.OK);
        Assert.Equal(["created", "rejected", "updated"], result.Names());
        Assert.Equal(1, result.GetProperty("created").GetInt32());
        Assert.Equal(1, result.GetProperty("updated").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray().Single();
        Assert.Equal(["line", "reason"], rejected.Names());
        Assert.Equal(4, rejected.GetProperty("line").GetInt32());
        Assert.Contains("not-an-email", rejected.GetProperty("reason").GetString());

        var search = await Json.ReadAsync(await _api.GetAsync($"/api/v1/contacts?q={fresh}"), HttpStatusCode.OK);
        Assert.Equal("Co, Ltd", search.GetProperty("items")[0].GetProperty("company").GetString());
    }

    [Fact]
    public async Task A_csv_with_a_bad_header_is_a_400_and_writes_nothing()
    {
        var email = Unique();
        var response = await _api.PostRaw("/api/v1/contacts/import", $"name,email,fax\nAna,{email},1\n", "text/csv");
        var message = await Json.AssertValidationProblemAsync(response, "csv");
        Assert.Contains("fax", message);
        var search = await Json.ReadAsync(await _api.GetAsync($"/api/v1/contacts?q={email}"), HttpStatusCode.OK);
        Assert.Equal(0, search.GetProperty("total").GetInt32());
    }

    // ---- outgoing servers and settings -------------------------------------------------------

    [Fact]
    public async Task An_outgoing_server_is_created_and_its_password_never_returned()
    {
        var response = await _api.Post("/api/v1/outgoing-servers", new { name = "Relay", host = "smtp.relay.test", port = 587, security = "starttls", username = "parley", password = "s3cret-Pa55" });
        var created = await Json.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal(["id"], created.Names());
        var id = created.GetProperty("id").GetInt64();

        var listText = await (await _api.GetAsync("/api/v1/outgoing-servers")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("s3cret-Pa55", listText);
        var server = JsonDocument.Parse(listText).RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetInt64() == id);
        Assert.Equal("starttls", server.GetProperty("security").GetString());
        Assert.True(server.GetProperty("hasPassword").GetBoolean());
    }

    [Theory]
    [InlineData("ssl3")]
    [InlineData("STARTTLS please")]
    public async Task An_unknown_security_is_a_400_naming_the_field(string security)
    {
        var message = await Json.AssertValidationProblemAsync(
            await _api.Post("/api/v1/outgoing-servers", new { name = "Relay", host = "smtp.relay.test", port = 587, security }), "security");
        Assert.Contains("starttls", message);
    }

    [Fact]
    public async Task A_bad_host_and_port_are_both_named()
    {
        var response = await _api.Post("/api/v1/outgoing-servers", new { name = "Relay", host = "smtp relay!", port = 70000, security = "tls" });
        await Json.AssertValidationProblemAsync(response, "host");
        Assert.Equal(["host", "port"], JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").Names());
    }

    [Fact]
    public async Task An_spf_include_may_have_underscore_labels_but_must_be_a_dns_name()
    {
        var created = await Json.ReadAsync(await _api.Post("/api/v1/outgoing-servers",
            new { name = "Provider", host = "smtp.provider.test", port = 587, security = "starttls", spfInclude = "_SPF.Provider.test." }), HttpStatusCode.Created);
        var listed = await Json.ReadAsync(await _api.GetAsync("/api/v1/outgoing-servers"), HttpStatusCode.OK);
        var server = listed.EnumerateArray().Single(s => s.GetProperty("id").GetInt64() == created.GetProperty("id").GetInt64());
        Assert.Equal("_spf.provider.test", server.GetProperty("spfInclude").GetString());

        await Json.AssertValidationProblemAsync(await _api.Post("/api/v1/outgoing-servers",
            new { name = "Provider", host = "smtp.provider.test", port = 587, security = "starttls", spfInclude = "not a domain" }), "spfInclude");
    }

    [Fact]
    public async Task The_alias_domain_is_set_normalised_and_validated()
    {
        var set = await Json.ReadAsync(await _api.PutAsJsonAsync("/api/v1/settings/alias-domain", new { domain = " Mail.Parley.TEST. " }), HttpStatusCode.OK);
        Assert.Equal("mail.parley.test", set.GetProperty("domain").GetString());
        await Json.AssertValidationProblemAsync(await _api.PutAsJsonAsync("/api/v1/settings/alias-domain", new { domain = "not a domain" }), "domain");
        var read = await Json.ReadAsync(await _api.GetAsync("/api/v1/settings/alias-domain"), HttpStatusCode.OK);
        Assert.Equal("mail.parley.test", read.GetProperty("domain").GetString());
    }

    // ---- templates ---------------------------------------------------------------------------

    [Fact]
    public async Task A_template_is_created_and_previewed_against_a_real_record()
    {
        var contactId = await CreateContactAsync(name: "Ana Lima");
        var created = await Json.ReadAsync(await _api.Post("/api/v1/templates",
            new { name = "Quote", recordType = "contact", subject = "Quote for {{ record.name }}", body = "Hi {{ record.first_name }}, from {{ user.name }}" }),
            HttpStatusCode.Created);
        Assert.Equal(["id"], created.Names());
        var id = created.GetProperty("id").GetInt64();

        var preview = await Json.ReadAsync(await _api.Post($"/api/v1/templates/{id}/preview", new { recordId = contactId }), HttpStatusCode.OK);
        Assert.Equal(["body", "subject"], preview.Names());
        Assert.Equal("Quote for Ana Lima", preview.GetProperty("subject").GetString());
        Assert.Equal("Hi Ana, from Ada Admin", preview.GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_template_syntax_error_is_a_400_naming_the_field()
    {
        var message = await Json.AssertValidationProblemAsync(await _api.Post("/api/v1/templates",
            new { name = "Broken", recordType = "contact", subject = "Fine", body = "Hello {{ record.name " }), "body");
        Assert.Contains("template error", message);
    }

    [Fact]
    public async Task Preview_errors_unknown_template_404_missing_record_400_unknown_field_400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Post("/api/v1/templates/987654/preview", new { recordId = 1 })).StatusCode);
        // An unknown name is refused when the template is saved, with where it is (it used to wait for the preview).
        var unknown = await Json.AssertValidationProblemAsync(await _api.Post("/api/v1/templates",
            new { name = "Order", recordType = "contact", subject = "S", body = "Order {{ order.number }}" }), "body");
        Assert.Contains("\"order.number\" (line 1, column 10)", unknown);
        var template = await Json.ReadAsync(await _api.Post("/api/v1/templates",
            new { name = "Order", recordType = "contact", subject = "S", body = "Order for {{ record.name }}" }), HttpStatusCode.Created);
        var id = template.GetProperty("id").GetInt64();
        await Json.AssertValidationProblemAsync(await _api.Post($"/api/v1/templates/{id}/preview", new { }), "recordId");
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Post($"/api/v1/templates/{id}/preview", new { recordId = 987654 })).StatusCode);
    }

    // ---- chatter -----------------------------------------------------------------------------

    [Fact]
    public async Task Posting_an_email_and_a_note_then_listing_the_timeline()
    {
        var contactId = await CreateContactAsync(name: "Ana Lima");
        var path = $"/api/v1/records/contact/{contactId}/messages";

        var email = await Json.ReadAsync(await _api.Post(path, new { kind = "email", subject = "Your quote", body = "Here it is" }), HttpStatusCode.Accepted);
        Assert.Equal(["id", "messageId"], email.Names());
        var messageId = email.GetProperty("messageId").GetString();
        Assert.EndsWith("@mail.parley.test", messageId);

        var note = await Json.ReadAsync(await _api.Post(path, new { kind = "NOTE", body = "Called her" }), HttpStatusCode.Accepted);
        Assert.Equal(JsonValueKind.Null, note.GetProperty("messageId").ValueKind);

        var list = await Json.ReadAsync(await _api.GetAsync(path), HttpStatusCode.OK);
        var items = list.EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        Assert.Equal(note.GetProperty("id").GetInt64(), items[0].GetProperty("id").GetInt64()); // newest first
        Assert.Equal(email.GetProperty("id").GetInt64(), items[1].GetProperty("id").GetInt64());
        foreach (var field in new[] { "id", "kind", "direction", "from", "to", "subject", "text", "messageId", "state", "error", "createdAt" })
        {
            Assert.True(items[1].TryGetProperty(field, out _), $"'{field}' missing from {items[1]}");
            Assert.True(items[0].TryGetProperty(field, out _), $"'{field}' missing from {items[0]}");
        }

        Assert.Equal("email", items[1].GetProperty("kind").GetString());
        Assert.Equal("out", items[1].GetProperty("direction").GetString());
        Assert.Equal("queued", items[1].GetProperty("state").GetString());
        Assert.Equal(messageId, items[1].GetProperty("messageId").GetString());
        Assert.Equal("Your quote", items[1].GetProperty("subject").GetString());
        Assert.Contains("ada@parley.test", items[1].GetProperty("from").GetString());
        Assert.Contains("@customer.test", items[1].GetProperty("to").GetString());
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("error").ValueKind);
        Assert.True(items[1].GetProperty("createdAt").TryGetDateTimeOffset(out _));

        Assert.Equal("note", items[0].GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("direction").ValueKind);
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("state").ValueKind);
        Assert.Equal("Called her", items[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_email_from_a_template_is_accepted()
    {
        var contactId = await CreateContactAsync(name: "Ana Lima");
        var template = await Json.ReadAsync(await _api.Post("/api/v1/templates",
            new { name = "Hello", recordType = "contact", subject = "Hello {{ record.first_name }}", body = "Dear {{ record.name }}" }), HttpStatusCode.Created);
        var path = $"/api/v1/records/contact/{contactId}/messages";
        await Json.ReadAsync(await _api.Post(path, new { kind = "email", templateId = template.GetProperty("id").GetInt64() }), HttpStatusCode.Accepted);
        var list = await Json.ReadAsync(await _api.GetAsync(path), HttpStatusCode.OK);
        Assert.Equal("Hello Ana", list[0].GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Bad_posts_to_the_chatter_are_400s_naming_the_field()
    {
        var contactId = await CreateContactAsync();
        var path = $"/api/v1/records/contact/{contactId}/messages";
        await Json.AssertValidationProblemAsync(await _api.Post(path, new { kind = "fax", body = "x" }), "kind");
        await Json.AssertValidationProblemAsync(await _api.Post(path, new { kind = "email", body = "no subject" }), "subject");
        await Json.AssertValidationProblemAsync(await _api.Post(path, new { kind = "note" }), "body");
        await Json.AssertValidationProblemAsync(await _api.Post(path, new { kind = "email", templateId = 987654 }), "templateId");
        var list = await Json.ReadAsync(await _api.GetAsync(path), HttpStatusCode.OK);
        Assert.Equal(0, list.GetArrayLength());
    }

    [Theory]
    [InlineData("/api/v1/records/contact/987654/messages")]
    [InlineData("/api/v1/records/spaceship/1/messages")]
    public async Task The_chatter_of_an_unknown_record_is_a_404(string path)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Post(path, new { kind = "note", body = "x" })).StatusCode);
    }

    // ---- OpenAPI -----------------------------------------------------------------------------

    [Fact]
    public async Task The_openapi_document_is_served_without_login_and_lists_the_endpoints()
    {
        using var anonymous = fixture.Host.Client();
        var doc = await Json.ReadAsync(await anonymous.GetAsync("/openapi/v1.json"), HttpStatusCode.OK);
        var paths = doc.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/api/v1/contacts", "post"), ("/api/v1/contacts/{id}", "get"), ("/api/v1/contacts/import", "post"),
            ("/api/v1/outgoing-servers", "post"), ("/api/v1/settings/alias-domain", "put"), ("/api/v1/templates", "post"),
            ("/api/v1/templates/{id}/preview", "post"), ("/api/v1/records/{type}/{id}/messages", "post"),
            ("/api/v1/records/{type}/{id}/messages", "get"),
        })
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the OpenAPI document");
            Assert.True(item.TryGetProperty(method, out _), $"{method.ToUpperInvariant()} {path} is not in the OpenAPI document");
        }
    }
}
