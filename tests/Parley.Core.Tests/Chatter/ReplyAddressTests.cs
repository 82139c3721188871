using System.Text;
using Parley.Core.Chatter;
using Parley.Core.Records;

namespace Parley.Core.Tests.Chatter;

public sealed class ReplyAddressTests
{
    private static readonly ReplyAddress Reply = new(Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef"));

    [Fact]
    public void An_address_round_trips_to_its_record()
    {
        var address = Reply.For(new RecordRef("contact", 42), "mail.parley.test");
        Assert.StartsWith("reply+contact-42-", address);
        Assert.EndsWith("@mail.parley.test", address);
        Assert.Equal(new RecordRef("contact", 42), Reply.Parse(address));
    }

    [Fact]
    public void Mail_clients_that_change_case_still_route()
    {
        var address = Reply.For(new RecordRef("contact", 7), "mail.parley.test");
        Assert.Equal(new RecordRef("contact", 7), Reply.Parse(address.ToUpperInvariant()));
    }

    [Fact]
    public void Tokens_differ_per_record()
    {
        Assert.NotEqual(Reply.Token(new RecordRef("contact", 1)).Split('-')[2], Reply.Token(new RecordRef("contact", 2)).Split('-')[2]);
    }

    [Fact]
    public void A_tampered_token_is_rejected()
    {
        var address = Reply.For(new RecordRef("contact", 42), "mail.parley.test");
        var mac = address.Split('@')[0].Split('-')[2];

        // Another record id with the original MAC: the guessing attack the MAC exists for.
        Assert.Null(Reply.Parse($"reply+contact-43-{mac}@mail.parley.test"));
        // One MAC character changed.
        var flipped = (mac[0] == 'a' ? 'b' : 'a') + mac[1..];
        Assert.Null(Reply.Parse($"reply+contact-42-{flipped}@mail.parley.test"));
        // Truncated MAC.
        Assert.Null(Reply.Parse($"reply+contact-42-{mac[..6]}@mail.parley.test"));
        // Another installation's key.
        var other = new ReplyAddress(Encoding.ASCII.GetBytes("another key, another installation"));
        Assert.Null(other.Parse(address));
    }

    [Theory]
    [InlineData("catchall@mail.parley.test")]
    [InlineData("reply+@mail.parley.test")]
    [InlineData("reply+contact-42@mail.parley.test")]
    [InlineData("reply+contact-x-abcdefabcdef@mail.parley.test")]
    [InlineData("reply+contact-42-abcdefabcdef-extra@mail.parley.test")]
    [InlineData("no-at-sign")]
    [InlineData("")]
    public void Anything_else_is_not_a_reply_address(string address) => Assert.Null(Reply.Parse(address));
}
