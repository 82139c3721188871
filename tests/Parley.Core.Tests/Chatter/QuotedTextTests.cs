using Parley.Core.Chatter;

namespace Parley.Core.Tests.Chatter;

public sealed class QuotedTextTests
{
    [Fact]
    public void A_gmail_reply_folds_the_attribution_and_the_quoted_lines()
    {
        var parts = QuotedText.Split("Thanks! Tuesday works.\n\nOn Fri, 4 Dec 2026 at 10:00, Ana Lima <ana@customer.test> wrote:\n> Hello,\n>\n> Your order left today.\n");
        Assert.Equal("Thanks! Tuesday works.", parts.Written);
        Assert.StartsWith("On Fri, 4 Dec 2026 at 10:00, Ana Lima", parts.Quoted);
        Assert.EndsWith("> Your order left today.", parts.Quoted);
    }

    [Fact]
    public void An_attribution_wrapped_over_two_lines_is_found()
    {
        var parts = QuotedText.Split("Yes.\r\n\r\nOn Fri, 4 Dec 2026 at 10:00, Ana Lima <ana@customer.test>\r\nwrote:\r\n> Can you come?\r\n");
        Assert.Equal("Yes.", parts.Written);
        Assert.StartsWith("On Fri, 4 Dec 2026", parts.Quoted);
    }

    [Fact]
    public void Outlook_original_message_and_header_blocks_are_folded()
    {
        var original = QuotedText.Split("See below.\n\n-----Original Message-----\nFrom: Ana\nSent: Friday\nSubject: Order\n\nHello");
        Assert.Equal("See below.", original.Written);
        Assert.StartsWith("-----Original Message-----", original.Quoted);

        var header = QuotedText.Split("Fine by me.\n\n________________________________\nFrom: Ana Lima <ana@customer.test>\nSent: Friday, 4 December 2026 10:00\nTo: Parley\nSubject: Order\n\nHello");
        Assert.StartsWith("Fine by me.", header.Written);
        Assert.StartsWith("From: Ana Lima", header.Quoted);
    }

    [Fact]
    public void Inline_answers_between_quotes_and_all_quote_messages_stay_open()
    {
        var inline = "> Can you come on Tuesday?\nYes.\n> And bring the invoice?\nOf course.";
        Assert.Null(QuotedText.Split(inline).Quoted);
        Assert.Null(QuotedText.Split("> only a forward of the quote\n> nothing else").Quoted);
        Assert.Null(QuotedText.Split("On Tuesday I wrote: the order is late.\nPlease check.").Quoted);
        Assert.Null(QuotedText.Split("From: the warehouse, nothing yet.").Quoted);
    }

    [Fact]
    public void A_trailing_quote_after_an_inline_answer_is_folded()
    {
        var parts = QuotedText.Split("> Can you come?\nYes.\n\n> Thanks\n> Ana");
        Assert.Equal("> Can you come?\nYes.", parts.Written);
        Assert.Equal("> Thanks\n> Ana", parts.Quoted);
    }

    [Theory]
    [InlineData("Your order", "Re: Your order")]
    [InlineData("Re: Your order", "Re: Your order")]
    [InlineData("RE : Your order", "RE : Your order")]
    [InlineData("re[2]: Your order", "re[2]: Your order")]
    [InlineData("Reply needed", "Re: Reply needed")]
    [InlineData("", "Re: your message")]
    public void A_reply_subject_says_Re_once(string original, string expected) => Assert.Equal(expected, Replies.Subject(original));

    [Fact]
    public void The_quote_of_a_reply_has_the_attribution_and_one_more_level_per_line()
    {
        var original = new ChatterMessage { RecordType = "contact", AuthorName = "Zoë Martin", BodyText = "Tuesday?\n\n> earlier", CreatedAt = new DateTimeOffset(2026, 12, 4, 10, 5, 0, TimeSpan.Zero) };
        Assert.Equal("\n\nOn Fri, 4 Dec 2026 at 10:05 UTC, Zoë Martin wrote:\n> Tuesday?\n>\n>> earlier\n", Replies.Quote(original));
    }
}
