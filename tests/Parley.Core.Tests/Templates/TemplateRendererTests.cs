using Parley.Core.Common;
using Parley.Core.Identity;
using Parley.Core.Records;
using Parley.Core.Templates;

namespace Parley.Core.Tests.Templates;

public sealed class TemplateRendererTests
{
    private static readonly RecordView Ana = new(new RecordRef("contact", 5), "Ana Lima", "ana@customer.test", new Dictionary<string, object?>
    {
        ["id"] = 5L,
        ["name"] = "Ana Lima",
        ["first_name"] = "Ana",
        ["email"] = "ana@customer.test",
        ["company"] = "Lima & Co",
        ["phone"] = "",
        ["tags"] = new[] { "vip", "lead" },
    });

    private static readonly ActingUser Ada = new(1, "Ada Admin", "ada@parley.test", true);

    private readonly TemplateRenderer _renderer = new();

    [Fact]
    public async Task Record_and_user_fields_are_rendered()
    {
        var result = await _renderer.RenderAsync(
            "Offer for {{ record.company }}",
            "Hello {{ record.first_name }} ({{ record.email }}),\n{% for t in record.tags %}[{{ t }}]{% endfor %}\n-- {{ user.name }} <{{ user.email }}>",
            Ana, Ada, default);
        Assert.Equal("Offer for Lima & Co", result.Subject);
        Assert.Equal("Hello Ana (ana@customer.test),\n[vip][lead]\n-- Ada Admin <ada@parley.test>", result.Body);
    }

    [Fact]
    public async Task A_syntax_error_names_the_field_and_where_it_is()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            _renderer.RenderAsync("Hi", "Line one\nLine two {{ record.name \nLine three", Ana, Ada, default));
        Assert.Equal(["body"], e.Errors.Keys.ToArray());
        var message = e.Errors["body"][0];
        Assert.Contains("template error", message);
        // The user must be able to find the mistake: the message points at line 2.
        Assert.Matches(@"(line 2|\(2:\d+\)|2:\d+)", message);
    }

    [Fact]
    public async Task An_unclosed_tag_in_the_subject_is_reported_on_the_subject()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            _renderer.RenderAsync("{% if record.name %}Hi", "Body", Ana, Ada, default));
        Assert.Equal(["subject"], e.Errors.Keys.ToArray());
    }

    [Fact]
    public async Task An_unknown_top_level_name_is_reported_with_its_line()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            _renderer.RenderAsync("Hi", "Dear customer,\nyour order {{ order.number }} shipped", Ana, Ada, default));
        var message = e.Errors["body"][0];
        Assert.Contains("order", message);
        Assert.Contains("line 2", message);
        Assert.Contains("record.name", message); // lists what can be used
    }

    [Fact]
    public async Task An_unknown_record_field_is_reported_not_rendered_as_empty()
    {
        // A typo in a field name must not silently send "Hello ," to a customer.
        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            _renderer.RenderAsync("Hi", "Hello {{ record.nmae }},", Ana, Ada, default));
        Assert.Contains("nmae", e.Errors["body"][0]);
    }

    [Fact]
    public async Task Line_breaks_from_data_never_reach_the_subject()
    {
        var record = Ana with { Fields = new Dictionary<string, object?>(Ana.Fields) { ["company"] = "Lima\r\nBcc: victim@else.test" } };
        var result = await _renderer.RenderAsync("Offer for {{ record.company }}\r\nX-Injected: yes", "Body", record, Ada, default);
        Assert.DoesNotContain('\r', result.Subject);
        Assert.DoesNotContain('\n', result.Subject);
        Assert.Equal("Offer for Lima Bcc: victim@else.test X-Injected: yes", result.Subject);
    }

    [Fact]
    public async Task Record_values_are_not_evaluated_as_Liquid()
    {
        var record = Ana with { Fields = new Dictionary<string, object?>(Ana.Fields) { ["name"] = "{{ user.email }}" } };
        var result = await _renderer.RenderAsync("Hi", "{{ record.name }}", record, Ada, default);
        Assert.Equal("{{ user.email }}", result.Body);
    }
}
