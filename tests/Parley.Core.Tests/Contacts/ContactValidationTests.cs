using Parley.Core.Common;
using Parley.Core.Contacts;

namespace Parley.Core.Tests.Contacts;

/// <summary>The validation shared by the UI, the API and CSV import.</summary>
public sealed class ContactValidationTests
{
    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var e = Assert.Throws<InvalidInputException>(() => ContactService.Validate(new ContactInput(
            "  ", "not-an-email", new string('c', 201), new string('9', 65), string.Join(',', Enumerable.Range(0, 300).Select(i => "tag" + i)))));
        Assert.Equal(["company", "email", "name", "phone", "tags"], e.Errors.Keys.Order().ToArray());
        Assert.Contains("not-an-email", e.Errors["email"][0]);
        Assert.Contains("200", e.Errors["company"][0]);
        Assert.Contains("64", e.Errors["phone"][0]);
    }

    [Fact]
    public void A_missing_email_says_so_rather_than_invalid()
    {
        var e = Assert.Throws<InvalidInputException>(() => ContactService.Validate(new ContactInput("Ana", null)));
        Assert.Equal(["email"], e.Errors.Keys.ToArray());
        Assert.Contains("enter", e.Errors["email"][0], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_email_with_CR_LF_is_refused()
    {
        var e = Assert.Throws<InvalidInputException>(() => ContactService.Validate(new ContactInput("Ana", "ana@customer.test\r\nBcc: x@evil.test")));
        Assert.True(e.Errors.ContainsKey("email"));
    }

    [Fact]
    public void Control_characters_in_text_fields_become_spaces()
    {
        var valid = ContactService.Validate(new ContactInput("Ana\r\nBcc: x@evil.test", "ana@customer.test", "Lima\tCo", "+351\n1"));
        Assert.DoesNotContain('\r', valid.Name);
        Assert.DoesNotContain('\n', valid.Name);
        Assert.Equal("Ana  Bcc: x@evil.test", valid.Name);
        Assert.Equal("Lima Co", valid.Company);
        Assert.Equal("+351 1", valid.Phone);
    }

    [Fact]
    public void Fields_are_trimmed_email_and_tags_lower_cased_and_deduplicated_and_empty_optionals_are_null()
    {
        var valid = ContactService.Validate(new ContactInput("  Ana Lima ", " ANA@Customer.Test ", "  ", "", " VIP; lead ,vip,, "));
        Assert.Equal("Ana Lima", valid.Name);
        Assert.Equal("ana@customer.test", valid.Email);
        Assert.Null(valid.Company);
        Assert.Null(valid.Phone);
        Assert.Equal("vip,lead", valid.Tags);
    }
}
