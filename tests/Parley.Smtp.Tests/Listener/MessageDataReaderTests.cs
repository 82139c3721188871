using System.Buffers;
using System.Text;
using Parley.Smtp.Listener.Protocol;

namespace Parley.Smtp.Tests.Listener;

/// <summary>The DATA parser fed in every possible two-segment split, so state carries across reads.</summary>
public sealed class MessageDataReaderTests
{
    [Theory]
    [InlineData(".\r\n", "", DataVerdict.Complete)]
    [InlineData("a\r\n.\r\n", "a\r\n", DataVerdict.Complete)]
    [InlineData("..\r\n.a\r\n..b\r\n.\r\n", ".\r\na\r\n.b\r\n", DataVerdict.Complete)]
    [InlineData("a\r\n.\rb\r\n.\r\n", null, DataVerdict.BareCarriageReturn)]
    [InlineData("a\r\n.\nb\r\n.\r\n", null, DataVerdict.BareLineFeed)]
    [InlineData("a\n.\nb\r\n.\r\n", null, DataVerdict.BareLineFeed)]
    [InlineData("a\n.\r\n.\r\n", null, DataVerdict.BareLineFeed)]
    [InlineData("a\r.\rb\r\n.\r\n", null, DataVerdict.BareCarriageReturn)]
    [InlineData("a\r.\r\n.\r\n", null, DataVerdict.BareCarriageReturn)]
    [InlineData("a\r\r\n.\r\n", null, DataVerdict.BareCarriageReturn)]
    internal void Parses_the_same_whatever_the_split(string wire, string? expected, DataVerdict verdict) =>
        AssertParsesAtEverySplit(wire, expected, verdict, maxHeaderSize: 1000);

    // Limit of 30 bytes: "Subject: " (9) + 19 letters + CRLF is exactly 30.
    [Theory]
    [InlineData("Subject: abcdefghijklmnopqrs\r\n\r\nA body much longer than the header limit.\r\n.\r\n", DataVerdict.Complete)]
    [InlineData("Subject: abcdefghijklmnopqrst\r\n\r\nbody\r\n.\r\n", DataVerdict.HeaderTooBig)]
    [InlineData("Subject: a\r\n b\r\n c\r\n\r\nA body much longer than the header limit.\r\n.\r\n", DataVerdict.Complete)]
    [InlineData("Subject: a\r\n b\r\n c\r\n d\r\n e\r\n f\r\n g\r\n\r\nbody\r\n.\r\n", DataVerdict.HeaderTooBig)]
    [InlineData("Subject: abcdefghijklmnopqrs\r\n.\r\n", DataVerdict.Complete)]
    [InlineData("Subject: abcdefghijklmnopqrst\r\n.\r\n", DataVerdict.HeaderTooBig)]
    [InlineData("\r\nNo header at all, and a body much longer than the header limit.\r\n.\r\n", DataVerdict.Complete)]
    [InlineData("Subject: a\r\nNo empty line, and this line is not a field; so the body starts here and may be long.\r\n.\r\n", DataVerdict.Complete)]
    [InlineData("Subject: abcdefghijklmnopqrstuvwxyz\r\nno colon, but the header was already too big\r\n.\r\n", DataVerdict.HeaderTooBig)]
    [InlineData("Subject: a\r\n\tfolded with a tab\r\n c\r\n\r\nbody\r\n.\r\n", DataVerdict.HeaderTooBig)]
    internal void Header_section_is_limited_up_to_the_first_empty_line(string wire, DataVerdict verdict) =>
        AssertParsesAtEverySplit(wire, verdict == DataVerdict.Complete ? wire[..^3] : null, verdict, maxHeaderSize: 30);

    [Theory]
    // 30 bytes after unstuffing (a line "..b: …" is stored as ".b: …", still a header field), 31 on the wire: fits.
    [InlineData("X: a\r\n..b: cdefghijklmnopqrst\r\n\r\nbody\r\n.\r\n", DataVerdict.Complete)]
    // One letter more: 31 after unstuffing, over.
    [InlineData("X: a\r\n..b: cdefghijklmnopqrstu\r\n\r\nbody\r\n.\r\n", DataVerdict.HeaderTooBig)]
    internal void Header_limit_counts_unstuffed_content(string wire, DataVerdict verdict)
    {
        using var spool = MessageSpool.TryCreate(4096, Path.GetTempPath(), new SpoolMemoryBudget(long.MaxValue))!;
        var reader = new MessageDataReader(spool, maxMessageSize: 1000, maxLineLength: 1000, maxHeaderSize: 30);

        Assert.True(reader.TryConsume(Sequence(Encoding.ASCII.GetBytes(wire)), out _));

        Assert.Equal(verdict, reader.Verdict);
    }

    [Fact]
    public void Header_over_the_limit_is_not_spooled_further()
    {
        using var spool = MessageSpool.TryCreate(1024 * 1024, Path.GetTempPath(), new SpoolMemoryBudget(long.MaxValue))!;
        var reader = new MessageDataReader(spool, maxMessageSize: 10_000_000, maxLineLength: 1000, maxHeaderSize: 1000);
        var wire = "Subject: x\r\n" + string.Concat(Enumerable.Repeat(" folded\r\n", 100_000)) + "\r\nbody\r\n.\r\n";

        Assert.True(reader.TryConsume(Sequence(Encoding.ASCII.GetBytes(wire)), out _));

        Assert.Equal(DataVerdict.HeaderTooBig, reader.Verdict);
        Assert.Equal(wire.Length - 3, reader.MessageSize);
        Assert.True(spool.Length < 2000, $"spooled {spool.Length} bytes");
    }

    private static void AssertParsesAtEverySplit(string wire, string? expected, DataVerdict verdict, int maxHeaderSize)
    {
        var bytes = Encoding.ASCII.GetBytes(wire + "TRAILING");
        for (var split = 0; split < wire.Length; split++)
        {
            // Two reads: the end mark's last byte is never in the first one.
            using var spool = MessageSpool.TryCreate(4096, Path.GetTempPath(), new SpoolMemoryBudget(long.MaxValue))!;
            var reader = new MessageDataReader(spool, maxMessageSize: 1000, maxLineLength: 1000, maxHeaderSize);
            Assert.False(reader.TryConsume(Sequence(bytes.AsMemory(0, split)), out _), $"ended early at split {split}");
            var rest = Sequence(bytes.AsMemory(split, 1), bytes.AsMemory(split + 1));
            Assert.True(reader.TryConsume(rest, out var end), $"no end at split {split}");
            AssertParsed(rest.Slice(end), reader, spool);

            // One read of a two-segment sequence.
            using var spool2 = MessageSpool.TryCreate(4096, Path.GetTempPath(), new SpoolMemoryBudget(long.MaxValue))!;
            var reader2 = new MessageDataReader(spool2, maxMessageSize: 1000, maxLineLength: 1000, maxHeaderSize);
            var whole = Sequence(bytes.AsMemory(0, split), bytes.AsMemory(split));
            Assert.True(reader2.TryConsume(whole, out var end2), $"no end in one read at split {split}");
            AssertParsed(whole.Slice(end2), reader2, spool2);
        }

        void AssertParsed(ReadOnlySequence<byte> after, MessageDataReader reader, MessageSpool spool)
        {
            Assert.Equal("TRAILING", Encoding.ASCII.GetString(after.ToArray()));
            Assert.Equal(verdict, reader.Verdict);
            if (expected is not null)
            {
                Assert.Equal(expected, Read(spool));
            }
        }
    }

    [Fact]
    public void Size_limit_counts_unstuffed_content_and_reading_goes_on_to_the_end()
    {
        using var spool = MessageSpool.TryCreate(4096, Path.GetTempPath(), new SpoolMemoryBudget(long.MaxValue))!;
        var reader = new MessageDataReader(spool, maxMessageSize: 10, maxLineLength: 1000, maxHeaderSize: 1000);

        Assert.True(reader.TryConsume(Sequence(Encoding.ASCII.GetBytes("123456789\r\n..\r\n.\r\n")), out _));

        Assert.Equal(DataVerdict.TooBig, reader.Verdict);
    }

    [Fact]
    public void Large_message_spools_to_a_temp_file_and_reads_back_exactly()
    {
        using var spool = MessageSpool.TryCreate(4096, Path.GetTempPath(), new SpoolMemoryBudget(long.MaxValue))!;
        var reader = new MessageDataReader(spool, maxMessageSize: 10_000_000, maxLineLength: 1000, maxHeaderSize: 1000);
        var line = new string('z', 998) + "\r\n";
        var wire = "Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(line, 1000)) + ".\r\n";

        Assert.True(reader.TryConsume(Sequence(Encoding.ASCII.GetBytes(wire)), out _));

        Assert.Equal(DataVerdict.Complete, reader.Verdict);
        Assert.Equal(wire[..^3], Read(spool));
    }

    private static string Read(MessageSpool spool)
    {
        using var stream = spool.OpenReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        using var text = new StreamReader(stream, Encoding.ASCII);
        return text.ReadToEnd();
    }

    private static ReadOnlySequence<byte> Sequence(params ReadOnlyMemory<byte>[] parts)
    {
        if (parts.Length == 1)
        {
            return new ReadOnlySequence<byte>(parts[0]);
        }

        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
