using Parley.Core.Common;

namespace Parley.Core.Tests.Contacts;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("ana@customer.test", "ana@customer.test")]
    [InlineData("  ana@customer.test  ", "ana@customer.test")]
    [InlineData("Ana.Lima+news@Customer.TEST", "ana.lima+news@customer.test")]
    [InlineData("ana@sub.customer.test.", "ana@sub.customer.test")]
    public void Normalize_accepts_plain_mailboxes_and_lower_cases_the_domain_only(string input, string expected) =>
        Assert.Equal(expected, EmailAddress.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not-an-email")]
    [InlineData("ana@")]
    [InlineData("@customer.test")]
    [InlineData("ana@localhost")]
    [InlineData("ana@-customer.test")]
    [InlineData("ana@customer..test")]
    [InlineData("ana lima@customer.test")]
    [InlineData("Ana <ana@customer.test>")]
    [InlineData("ana@customer.test, bob@customer.test")]
    [InlineData("ana@customer.test;bob@customer.test")]
    [InlineData("ana@customer.test\r\nBcc: victim@else.test")]
    [InlineData("ana@customer.test\nBcc: victim@else.test")]
    [InlineData("ana\r@customer.test")]
    public void Normalize_refuses_anything_but_one_plain_mailbox(string? input) =>
        Assert.Null(EmailAddress.Normalize(input));

    [Fact]
    public void Normalize_refuses_addresses_longer_than_254_characters() =>
        Assert.Null(EmailAddress.Normalize(new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".test"));

    [Fact]
    public void Normalize_accepts_an_internationalised_domain_and_gives_one_canonical_form_for_it()
    {
        var unicode = EmailAddress.Normalize("ana@Bücher.Example");
        var punycode = EmailAddress.Normalize("ana@xn--bcher-kva.example");
        Assert.NotNull(punycode);
        Assert.NotNull(unicode);
        // Both spellings are the same mailbox: duplicates must be caught whichever the user typed.
        Assert.Equal(punycode, unicode);
    }

    [Theory]
    [InlineData("mail.example.com", true)]
    [InlineData("a-b.example", true)]
    [InlineData("example", false)]
    [InlineData("-bad.example", false)]
    [InlineData("bad-.example", false)]
    [InlineData("under_score.example", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValidDomain(string? domain, bool valid) => Assert.Equal(valid, EmailAddress.IsValidDomain(domain));
}
