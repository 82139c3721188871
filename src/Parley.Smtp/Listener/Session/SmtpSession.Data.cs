using Parley.Smtp.Listener.Protocol;

namespace Parley.Smtp.Listener.Session;

/// <summary>DATA: stream the content into a spool, then hand it to the store before answering.</summary>
internal sealed partial class SmtpSession
{
    internal async ValueTask HandleDataAsync(string arguments, CancellationToken cancellationToken)
    {
        if (arguments.Length > 0)
        {
            await ErrorAsync(new SmtpReply(501, "5.5.4", "Syntax: DATA")).ConfigureAwait(false);
            return;
        }

        using var spool = MessageSpool.TryCreate(_options.InMemorySpoolLimit, _options.SpoolDirectory ?? Path.GetTempPath(), _spoolMemory);
        if (spool is null)
        {
            await ReplyAsync(SmtpReply.InsufficientStorage).ConfigureAwait(false);
            return;
        }

        await ReplyAsync(SmtpReply.StartMailInput).ConfigureAwait(false);
        var receivedAt = _timeProvider.GetUtcNow();
        var traceId = $"{Id}.{++_messageCount}";
        spool.Write(ReceivedHeader.Build(
            _options.ServerName, _helo, _client.Address, _extended, _transport.IsTls, _smtpUtf8, traceId, _recipients, receivedAt));
        var headerLength = spool.Length;

        var data = new MessageDataReader(spool, _options.MaxMessageSize, _options.MaxLineLength, _options.MaxHeaderSize);
        if (!await ReadDataAsync(data).ConfigureAwait(false))
        {
            _quit = true; // the client hung up in the middle of the message: nothing is stored
            return;
        }

        var rejection = data.Verdict switch
        {
            DataVerdict.Complete when spool.Failed => SmtpReply.InsufficientStorage,
            DataVerdict.Complete => (SmtpReply?)null,
            DataVerdict.TooBig => SmtpReply.MessageTooBig,
            DataVerdict.HeaderTooBig => new SmtpReply(552, "5.3.4", $"Error: message header section too large (limit {_options.MaxHeaderSize} bytes)"),
            DataVerdict.BareLineFeed => new SmtpReply(550, "5.5.2", "Error: bare <LF> received; lines must end with <CR><LF>"),
            DataVerdict.BareCarriageReturn => new SmtpReply(550, "5.5.2", "Error: bare <CR> received; lines must end with <CR><LF>"),
            DataVerdict.LineTooLong => new SmtpReply(554, "5.6.0", $"Error: message line longer than {_options.MaxLineLength} characters"),
            _ => throw new InvalidOperationException($"Unknown DATA verdict {data.Verdict}."),
        };
        if (rejection is { } reply)
        {
            Log.MessageRejected(_logger, Id, spool.Failed ? "the spool file could not be written" : data.Verdict.ToString(), data.MessageSize);
            await ReplyAsync(reply).ConfigureAwait(false);
            ResetTransaction();
            return;
        }

        var envelope = new SmtpEnvelope(
            _client.Address, _client.Port, _helo, _mailFrom, _recipients.ToArray(), receivedAt, _transport.IsTls, traceId);
        var stored = await StoreAsync(envelope, spool, cancellationToken).ConfigureAwait(false);
        Log.MessageReceived(_logger, Id, _mailFrom, _recipients.Count, spool.Length - headerLength, stored.Code);
        await ReplyAsync(stored).ConfigureAwait(false);
        ResetTransaction();
    }

    /// <summary>Feeds the pipe into <paramref name="data"/> until the end mark. False when the client hung up first.</summary>
    private async ValueTask<bool> ReadDataAsync(MessageDataReader data)
    {
        while (true)
        {
            var result = await _transport.ReadAsync(_options.DataTimeout).ConfigureAwait(false);
            if (data.TryConsume(result.Buffer, out var consumed))
            {
                _transport.Reader.AdvanceTo(consumed);
                return true;
            }

            _transport.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return false;
            }
        }
    }

    private async ValueTask<SmtpReply> StoreAsync(SmtpEnvelope envelope, MessageSpool spool, CancellationToken cancellationToken)
    {
        try
        {
            var message = await spool.OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using var disposesMessage = message.ConfigureAwait(false);
            var result = await _store.StoreAsync(envelope, message, cancellationToken).ConfigureAwait(false);
            return result.Outcome switch
            {
                StoreOutcome.Stored => new SmtpReply(250, "2.0.0", $"Ok: queued as {result.QueueId}"),
                StoreOutcome.TemporaryFailure => new SmtpReply(451, result.EnhancedCode, result.Reason ?? "Error: try again later"),
                _ => new SmtpReply(554, result.EnhancedCode, result.Reason ?? "Error: message refused"),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The client keeps its copy and retries; the session goes on.
            Log.StoreFailed(_logger, ex, Id);
            return SmtpReply.StoreFailed;
        }
    }
}
