using Parley.Core.Contacts;
using Parley.Core.Mailings;
using Parley.Core.Mailings.Filters;

namespace Parley.Core.Tests.Mailings;

/// <summary>The filter language read on its own (a unit test of logic: the expressions are run in memory here, in SQL in
/// <see cref="MailingFilterDatabaseTests{T}"/>): what it matches, and hostile or wrong input refused with the column.</summary>
public sealed class MailingFilterParserTests
{
    private static readonly Contact[] Contacts =
    [
        new() { Id = 1, Name = "Ana", Email = "ana@a.test", Language = "fr", Tags = "vip,spring" },
        new() { Id = 2, Name = "Bo", Email = "bo@b.test", Language = "en", Tags = "spring" },
        new() { Id = 3, Name = "Cy", Email = "cy@c.test", Language = null, Tags = "" },
    ];

    private static long[] Match(string filter) =>
        Contacts.Where(MailingFilter.Parse(filter, ContactAudience.Fields).Compile()).Select(c => c.Id).ToArray();

    [Theory]
    [InlineData("language = \"fr\"", new long[] { 1 })]
    [InlineData("customer.language = \"FR\"", new long[] { 1 })]
    [InlineData("language != \"fr\"", new long[] { 2, 3 })]
    [InlineData("language is empty", new long[] { 3 })]
    [InlineData("language is not empty and not (tags contains \"vip\")", new long[] { 2 })]
    [InlineData("id >= 2 and id < 3 or name = \"ana\"", new long[] { 1, 2 })]
    [InlineData("language in (\"en\", \"fr\")", new long[] { 1, 2 })]
    [InlineData("email contains \"@C.\"", new long[] { 3 })]
    [InlineData("tags contains \"vi\"", new long[0])]
    [InlineData("tags = \"spring\"", new long[] { 1, 2 })]
    public void Matches(string filter, long[] expected) => Assert.Equal(expected, Match(filter));

    [Theory]
    [InlineData("totl >= 1000", 1, "Unknown field 'totl' at column 1; fields: name, email")]
    [InlineData("language = fr", 12, "takes text in double quotes at column 12")]
    [InlineData("language = \"fr\" and", 20, "Expected a field name at column 20, found the end")]
    [InlineData("(language = \"fr\"", 17, "Expected ')' at column 17")]
    [InlineData("id > \"x\"", 6, "'id' is a number")]
    [InlineData("name < \"b\"", 8, "'name' is text")]
    [InlineData("id contains \"1\"", 4, "'id' is a number")]
    [InlineData("language = \"fr", 12, "no closing")]
    [InlineData("language ! \"fr\"", 10, "'!' at column 10")]
    [InlineData("language ; drop", 10, "Unexpected character ';' at column 10")]
    [InlineData("", 1, "The filter is empty")]
    public void RefusesWithTheColumn(string filter, int column, string words)
    {
        var error = Assert.Throws<FilterException>(() => MailingFilter.Parse(filter, ContactAudience.Fields));
        Assert.Equal(column, error.Column);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNestingIsBounded()
    {
        var deep = new string('(', 10_000) + "id = 1" + new string(')', 10_000);
        Assert.Contains("characters", Assert.Throws<FilterException>(() => MailingFilter.Parse(deep, ContactAudience.Fields)).Message, StringComparison.Ordinal);
        var nested = new string('(', 50) + "id = 1" + new string(')', 50);
        Assert.Contains("nests deeper than 20", Assert.Throws<FilterException>(() => MailingFilter.Parse(nested, ContactAudience.Fields)).Message, StringComparison.Ordinal);
        var nots = string.Concat(Enumerable.Repeat("not ", 30)) + "id = 1";
        Assert.Contains("nests deeper", Assert.Throws<FilterException>(() => MailingFilter.Parse(nots, ContactAudience.Fields)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeLiteralsAndListsAreBounded()
    {
        var huge = "name = \"" + new string('a', 600) + "\"";
        Assert.Contains("longer than 500", Assert.Throws<FilterException>(() => MailingFilter.Parse(huge, ContactAudience.Fields)).Message, StringComparison.Ordinal);
        var list = "id in (" + string.Join(",", Enumerable.Range(1, 150)) + ")";
        Assert.Contains("at most 100 values", Assert.Throws<FilterException>(() => MailingFilter.Parse(list, ContactAudience.Fields)).Message, StringComparison.Ordinal);
        var many = string.Join(" or ", Enumerable.Repeat("id = 1", 120));
        Assert.Contains("at most 100 conditions", Assert.Throws<FilterException>(() => MailingFilter.Parse(many, ContactAudience.Fields)).Message, StringComparison.Ordinal);
    }
}
