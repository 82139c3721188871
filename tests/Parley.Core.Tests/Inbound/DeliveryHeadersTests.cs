using System.Text;
using Parley.Core.Inbound;

namespace Parley.Core.Tests.Inbound;

/// <summary>Which addresses a message's own headers say it was delivered to, for mail that arrives without an SMTP envelope.</summary>
public sealed class DeliveryHeadersTests
{
    private static readonly byte[] Piped = Encoding.ASCII.GetBytes(
        "X-Original-To: help@company.test\r\nDelivered-To: Support@in.test\r\nReceived: from mx.test\r\nDelivered-To: someone@gmail.test\r\n"
        + "From: a@customer.test\r\nTo: Sales <sales@in.test>, support@in.test\r\nCc: boss@customer.test\r\nSubject: x\r\n\r\n"
        + "Delivered-To: body@in.test\r\n");

    [Fact]
    public void Delivery_headers_only_come_in_header_order_without_repeats_and_never_from_the_body()
    {
        Assert.Equal(["help@company.test", "Support@in.test", "someone@gmail.test"],
            DeliveryHeaders.Recipients(DeliveryHeaders.Peek(Piped), includeToAndCc: false));
    }

    [Fact]
    public void With_To_and_Cc_the_address_headers_follow_in_their_place_and_a_repeat_in_another_case_is_dropped()
    {
        Assert.Equal(["help@company.test", "Support@in.test", "someone@gmail.test", "sales@in.test", "boss@customer.test"],
            DeliveryHeaders.Recipients(DeliveryHeaders.Peek(Piped), includeToAndCc: true));
    }

    [Fact]
    public void Topmost_only_takes_the_first_header_of_each_delivery_kind_which_the_delivering_server_prepended()
    {
        Assert.Equal(["help@company.test", "Support@in.test"],
            DeliveryHeaders.Recipients(DeliveryHeaders.Peek(Piped), includeToAndCc: false, topmostOnly: true));
    }

    [Fact]
    public void Only_the_written_part_of_a_buffer_is_read()
    {
        // As a MemoryStream's buffer is: a message in the middle, other bytes before and after it.
        var buffer = "Delivered-To: before@in.test\r\nDelivered-To: a@in.test\r\nDelivered-To: after@in.test\r\n\r\n"u8.ToArray();
        var start = "Delivered-To: before@in.test\r\n".Length;
        var length = "Delivered-To: a@in.test\r\n".Length;
        Assert.Equal(["a@in.test"], DeliveryHeaders.Recipients(DeliveryHeaders.Peek(new ArraySegment<byte>(buffer, start, length)), includeToAndCc: false));
        Assert.Empty(DeliveryHeaders.Recipients(null, includeToAndCc: true));
    }
}
