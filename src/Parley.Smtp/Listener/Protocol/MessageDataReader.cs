using System.Buffers;

namespace Parley.Smtp.Listener.Protocol;

/// <summary>What the DATA phase ended with, decided once the real end-of-data mark was seen.</summary>
internal enum DataVerdict
{
    Complete,
    BareLineFeed,
    BareCarriageReturn,
    LineTooLong,
    TooBig,
    HeaderTooBig,
}

/// <summary>
/// Incremental DATA parser: dot-unstuffing, end-of-data detection and limits, fed straight from the pipe.
/// </summary>
/// <remarks>
/// Only CR LF "." CR LF ends the data (the leading CR LF may be the one before DATA's content). A bare CR
/// or bare LF never starts or ends a line here, so none of the SMTP smuggling sequences ("\n.\n",
/// "\n.\r\n", "\r.\r", "\r\n.\r", "\r.\r\n") can end the message early; the message that contains one is
/// then rejected as a whole (Postfix's smtpd_forbid_bare_newline=reject), rather than normalised, so what
/// was stored is always exactly what the client meant to send.
/// The header section (up to the first empty line, or the first line that is not a header field) is limited
/// separately: its size is checked once per line, and a line's kind (field, continuation, or the body's first line)
/// costs one test per byte only while still in the header section.
/// </remarks>
internal sealed class MessageDataReader(MessageSpool spool, long maxMessageSize, int maxLineLength, int maxHeaderSize)
{
    private enum State
    {
        LineStart,
        InLine,
        AfterCr,
        DotAtLineStart,
        DotCr,
    }

    private static ReadOnlySpan<byte> Cr => "\r"u8;

    private State _state = State.LineStart;
    private long _size;
    private int _lineLength;
    private bool _bareLf;
    private bool _bareCr;
    private bool _lineTooLong;
    private bool _tooBig;
    private bool _inHeader = true;
    private bool _headerTooBig;
    private bool _colonSeen;
    private bool _continuation;

    public long MessageSize => _size;

    public DataVerdict Verdict =>
        _bareLf ? DataVerdict.BareLineFeed
        : _bareCr ? DataVerdict.BareCarriageReturn
        : _tooBig ? DataVerdict.TooBig
        : _headerTooBig ? DataVerdict.HeaderTooBig
        : _lineTooLong ? DataVerdict.LineTooLong
        : DataVerdict.Complete;

    /// <summary>
    /// Consumes bytes from <paramref name="buffer"/>. Returns true with <paramref name="consumed"/> just
    /// past the end-of-data mark when it was found; otherwise all of the buffer was consumed.
    /// </summary>
    public bool TryConsume(in ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        long offset = 0;
        foreach (var segment in buffer)
        {
            if (ConsumeSegment(segment.Span, out var used))
            {
                consumed = buffer.GetPosition(offset + used);
                return true;
            }

            offset += segment.Length;
        }

        consumed = buffer.End;
        return false;
    }

    private bool ConsumeSegment(ReadOnlySpan<byte> span, out int used)
    {
        var runStart = 0; // start of bytes not yet copied to the spool
        for (var i = 0; i < span.Length; i++)
        {
            var b = span[i];
            if (++_lineLength > maxLineLength)
            {
                _lineTooLong = true;
            }

            switch (_state)
            {
                case State.LineStart when b == (byte)'.':
                    Emit(span[runStart..i]);
                    runStart = i + 1; // the stuffed dot is dropped
                    _state = State.DotAtLineStart;
                    continue;
                case State.DotAtLineStart when b == (byte)'\r':
                    runStart = i + 1; // held back: either the end mark or an ordinary CR
                    _state = State.DotCr;
                    continue;
                case State.DotCr when b == (byte)'\n':
                    used = i + 1;
                    return true;
                case State.DotCr:
                    Emit(Cr);
                    _state = State.AfterCr;
                    break;
                case State.DotAtLineStart:
                    _state = State.InLine;
                    break;
            }

            // Ordinary byte handling for LineStart, InLine and AfterCr.
            switch (b)
            {
                case (byte)'\r':
                    if (_state == State.AfterCr)
                    {
                        _bareCr = true;
                    }

                    _state = State.AfterCr;
                    break;
                case (byte)'\n':
                    if (_state == State.AfterCr)
                    {
                        Emit(span[runStart..(i + 1)]);
                        runStart = i + 1;
                        if (_inHeader)
                        {
                            EndHeaderLine();
                        }

                        _lineLength = 0;
                        _state = State.LineStart;
                    }
                    else
                    {
                        _bareLf = true;
                        _state = State.InLine;
                    }

                    break;
                default:
                    if (_state == State.AfterCr)
                    {
                        _bareCr = true;
                    }

                    if (_inHeader)
                    {
                        if (b == (byte)':')
                        {
                            _colonSeen = true;
                        }
                        else if (_lineLength == 1 && b is (byte)' ' or (byte)'\t')
                        {
                            _continuation = true;
                        }
                    }

                    _state = State.InLine;
                    break;
            }
        }

        if (_state != State.DotCr)
        {
            Emit(span[runStart..]);
        }

        used = span.Length;
        return false;
    }

    /// <summary>
    /// At the end of a line of the header section: the empty line ends it, and so does a line that is neither a field
    /// ("Name: value") nor a folded continuation — a sender that forgot the empty line has started its body there, as
    /// Postfix's cleanup also reads it. Any other line counts toward the limit.
    /// </summary>
    private void EndHeaderLine()
    {
        if (_lineLength == 2 || !(_colonSeen || _continuation))
        {
            _inHeader = false; // only CR LF on this line, or the body began without one
        }
        else if (_size > maxHeaderSize)
        {
            _headerTooBig = true; // everything emitted so far is header
            _inHeader = false;
        }

        _colonSeen = _continuation = false;
    }

    private void Emit(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        _size += data.Length;
        if (_size > maxMessageSize)
        {
            _tooBig = true; // keep reading to the end mark, but stop storing
            return;
        }

        if (!_bareCr && !_bareLf && !_headerTooBig)
        {
            spool.Write(data);
        }
    }
}
