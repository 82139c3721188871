using System.Diagnostics;
using System.Net;
using Parley.Core.Data;
using Parley.Core.Templates;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests;

/// <summary>
/// A template an admin writes is hostile until bounded: a runaway loop or a string that doubles must come back as a
/// clear template error within seconds — in preview, when saving, when sending and in a mailing — and must not grow
/// the process by gigabytes on the way.
/// </summary>
public sealed class TemplateLimitTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private const string RunawayLoop = "{% for i in (1..300000000) %}{% endfor %}";
    private const string Doubling = "{% assign s = \"x\" %}{% for i in (1..24) %}{% assign s = s | append: s %}{% endfor %}";

    // Many variables, each under the size of one value, that together would keep gigabytes alive.
    private static readonly string ManyBigVariables =
        "{% assign b = \"xxxxxxxxxx\" %}{% for i in (1..16) %}{% assign b = b | append: b %}{% endfor %}"
        + string.Concat(Enumerable.Range(0, 2000).Select(i => $"{{% assign v{i} = b | append: {i} %}}"));

    // Well under the step and size limits, but every step copies 655,360 characters: minutes of CPU without a clock.
    private const string SlowSteps =
        "{% assign s = \"xxxxxxxxxx\" %}{% for i in (1..16) %}{% assign s = s | append: s %}{% endfor %}"
        + "{% for i in (1..150) %}{% for j in (1..150) %}{% assign t = s | replace: \"x\", \"y\" %}{% endfor %}{% endfor %}";

    private readonly HttpClient _api = fixture.Host.Client(fixture.Token);

    public static TheoryData<string, string> Attacks => new()
    {
        { RunawayLoop, "items" },
        { Doubling, "characters" },
        { ManyBigVariables, "variables" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task A_preview_of_an_unbounded_template_is_a_clear_error_within_seconds(string body, string says)
    {
        // Stored as an earlier version would have saved it: today's save refuses it (see below).
        var templateId = await StoreTemplateAsync(body);
        var contactId = await CreateContactAsync();

        var (message, elapsed, growth) = await MeasureAsync(async () =>
            await Json.AssertValidationProblemAsync(await _api.Post($"/api/v1/templates/{templateId}/preview", new { recordId = contactId }), "body"));

        Assert.Contains(says, message);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"The preview took {elapsed}.");
        Assert.True(growth < 1_000_000_000, $"The process grew by {growth:N0} bytes.");
    }

    [Fact]
    public async Task A_runaway_loop_names_the_limit_and_the_line()
    {
        var templateId = await StoreTemplateAsync("Dear {{ record.name }},\n\n" + RunawayLoop + "\nBye");
        var message = await Json.AssertValidationProblemAsync(
            await _api.Post($"/api/v1/templates/{templateId}/preview", new { recordId = await CreateContactAsync() }), "body");
        Assert.Contains("more than 10,000 items", message);
        Assert.Contains("line 3", message);
    }

    [Fact]
    public async Task A_template_that_computes_for_too_long_is_stopped_by_the_clock()
    {
        var templateId = await StoreTemplateAsync(SlowSteps);
        var contactId = await CreateContactAsync();

        var (message, elapsed, _) = await MeasureAsync(async () =>
            await Json.AssertValidationProblemAsync(await _api.Post($"/api/v1/templates/{templateId}/preview", new { recordId = contactId }), "body"));

        Assert.Contains("seconds", message);
        Assert.True(elapsed < TimeSpan.FromSeconds(8), $"The preview took {elapsed}.");
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Saving_an_unbounded_template_is_refused_with_the_same_error(string body, string says)
    {
        var stopwatch = Stopwatch.StartNew();
        var message = await Json.AssertValidationProblemAsync(
            await _api.Post("/api/v1/templates", new { name = "Runaway", recordType = "contact", subject = "Hi", body }), "body");
        Assert.Contains(says, message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"Saving took {stopwatch.Elapsed}.");
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Sending_an_unbounded_template_queues_nothing_and_the_next_email_still_goes(string body, string says)
    {
        var contactId = await CreateContactAsync();
        var normal = await CreateTemplateAsync("Hello {{ record.first_name }}", "Dear {{ record.name }}");
        var path = $"/api/v1/records/contact/{contactId}/messages";

        // The composer's text wins over the template's, so this is the same render as a hostile stored template.
        var message = await Json.AssertValidationProblemAsync(await _api.Post(path, new { kind = "email", templateId = normal, body }), "body");
        Assert.Contains(says, message);
        Assert.Equal(0, (await Json.ReadAsync(await _api.GetAsync(path), HttpStatusCode.OK)).GetArrayLength());

        await Json.ReadAsync(await _api.Post(path, new { kind = "email", templateId = normal }), HttpStatusCode.Accepted);
        var list = await Json.ReadAsync(await _api.GetAsync(path), HttpStatusCode.OK);
        Assert.Equal("Hello Ana", list[0].GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_mailing_of_an_unbounded_template_is_refused_with_the_reason_before_anything_is_sent()
    {
        var contacts = new[] { await CreateContactAsync(), await CreateContactAsync() };
        var runaway = await StoreTemplateAsync(RunawayLoop);

        var (message, elapsed, growth) = await MeasureAsync(async () =>
            await Json.AssertValidationProblemAsync(await _api.Post("/api/v1/mailings", new { templateId = runaway, recordIds = contacts }), "templateId"));

        Assert.Contains("more than 10,000 items", message);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"The mailing took {elapsed}.");
        Assert.True(growth < 1_000_000_000, $"The process grew by {growth:N0} bytes.");
        Assert.Equal(0, (await Json.ReadAsync(await _api.GetAsync("/api/v1/mailings"), HttpStatusCode.OK)).GetArrayLength());

        var normal = await CreateTemplateAsync("News for {{ record.first_name }}", "Dear {{ record.name }}");
        var made = await Json.ReadAsync(await _api.Post("/api/v1/mailings", new { templateId = normal, recordIds = contacts }), HttpStatusCode.Created);
        Assert.Equal(2, made.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_normal_template_with_loops_and_filters_still_renders()
    {
        var templateId = await CreateTemplateAsync("Offer for {{ record.first_name | upcase }}",
            "{% assign line = \"-\" %}{% for i in (1..5) %}{% assign line = line | append: \"-\" %}{% endfor %}{{ line }}\n{% for i in (1..3) %}{{ i }}{% endfor %}");
        var preview = await Json.ReadAsync(
            await _api.Post($"/api/v1/templates/{templateId}/preview", new { recordId = await CreateContactAsync() }), HttpStatusCode.OK);
        Assert.Equal("Offer for ANA", preview.GetProperty("subject").GetString());
        Assert.Equal("------\n123", preview.GetProperty("body").GetString());
    }

    private static async Task<(T Result, TimeSpan Elapsed, long Growth)> MeasureAsync<T>(Func<Task<T>> action)
    {
        using var process = Process.GetCurrentProcess();
        var peakBefore = process.PeakWorkingSet64;
        var stopwatch = Stopwatch.StartNew();
        var result = await action();
        var elapsed = stopwatch.Elapsed;
        process.Refresh();
        return (result, elapsed, process.PeakWorkingSet64 - peakBefore);
    }

    private async Task<long> StoreTemplateAsync(string body)
    {
        await using var scope = fixture.Host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var template = new MailTemplate { Name = "Stored", RecordType = "contact", Subject = "Hi {{ record.first_name }}", Body = body };
        db.Templates.Add(template);
        await db.SaveChangesAsync();
        return template.Id;
    }

    private async Task<long> CreateTemplateAsync(string subject, string body)
    {
        var created = await Json.ReadAsync(await _api.Post("/api/v1/templates", new { name = "T", recordType = "contact", subject, body }), HttpStatusCode.Created);
        return created.GetProperty("id").GetInt64();
    }

    private async Task<long> CreateContactAsync()
    {
        var email = $"c-{Guid.NewGuid():N}"[..16] + "@customer.test";
        var created = await Json.ReadAsync(await _api.Post("/api/v1/contacts", new { name = "Ana Lima", email }), HttpStatusCode.Created);
        return created.GetProperty("id").GetInt64();
    }
}
