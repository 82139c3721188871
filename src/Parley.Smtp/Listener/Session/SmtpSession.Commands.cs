using System.Globalization;
using Parley.Smtp.Listener.Protocol;

namespace Parley.Smtp.Listener.Session;

/// <summary>Envelope and session commands (everything but DATA).</summary>
internal sealed partial class SmtpSession
{
    internal ValueTask HandleHeloAsync(string arguments, bool extended, CancellationToken cancellationToken)
    {
        var name = arguments.Trim();
        if (name.Length == 0 || name.Contains(' '))
        {
            return ErrorAsync(new SmtpReply(501, "5.5.4", extended ? "Syntax: EHLO hostname" : "Syntax: HELO hostname"));
        }

        ResetTransaction();
        _helo = SmtpPath.Sanitize(name);
        _extended = extended;
        _state = SessionState.Greeted;
        if (!extended)
        {
            return ReplyAsync(new SmtpReply(250, null, _options.ServerName));
        }

        var lines = new List<string>
        {
            _options.ServerName,
            $"SIZE {_options.MaxMessageSize.ToString(CultureInfo.InvariantCulture)}",
            "8BITMIME",
            "PIPELINING",
            "ENHANCEDSTATUSCODES",
            "SMTPUTF8",
        };
        if (_tls is not null && !_transport.IsTls)
        {
            lines.Add("STARTTLS");
        }

        return ReplyAsync(new SmtpReply(250, null, string.Join('\n', lines)));
    }

    internal async ValueTask HandleStartTlsAsync(string arguments, CancellationToken cancellationToken)
    {
        if (_tls is null || _transport.IsTls)
        {
            await ErrorAsync(SmtpReply.NotImplemented).ConfigureAwait(false);
            return;
        }

        if (arguments.Length > 0)
        {
            await ErrorAsync(new SmtpReply(501, "5.5.4", "Syntax: STARTTLS")).ConfigureAwait(false);
            return;
        }

        await ReplyAsync(new SmtpReply(220, "2.0.0", "Ready to start TLS")).ConfigureAwait(false);
        await _transport.StartTlsAsync(_tls, _options.CommandTimeout).ConfigureAwait(false);
        Log.TlsStarted(_logger, Id, _transport.TlsProtocol.ToString());

        // RFC 3207 §4.2: forget everything learnt before TLS; the client must EHLO again.
        ResetTransaction();
        _helo = string.Empty;
        _state = SessionState.Connected;
    }

    internal async ValueTask HandleMailAsync(string arguments, CancellationToken cancellationToken)
    {
        if (!SmtpPath.TryParse(arguments, "FROM", out var path, out var error))
        {
            await ErrorAsync(error).ConfigureAwait(false);
            return;
        }

        var smtpUtf8 = false;
        foreach (var (key, value) in path!.Parameters)
        {
            if (CheckMailParameter(key, value, ref smtpUtf8) is { } problem)
            {
                await ErrorAsync(problem).ConfigureAwait(false);
                return;
            }
        }

        if (!path.IsAscii && !smtpUtf8)
        {
            await ErrorAsync(new SmtpReply(553, "5.6.7", "Error: non-ASCII sender address needs SMTPUTF8")).ConfigureAwait(false);
            return;
        }

        _mailFrom = path.Address;
        _smtpUtf8 = smtpUtf8;
        _state = SessionState.MailGiven;
        await ReplyAsync(SmtpReply.SenderOk).ConfigureAwait(false);
    }

    /// <summary>MAIL FROM parameters of the advertised extensions (SIZE, 8BITMIME, SMTPUTF8); null when fine.</summary>
    private SmtpReply? CheckMailParameter(string key, string? value, ref bool smtpUtf8)
    {
        if (!_extended)
        {
            return new SmtpReply(555, "5.5.4", "Error: parameters need EHLO");
        }

        switch (key.ToUpperInvariant())
        {
            case "SIZE":
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                {
                    return new SmtpReply(501, "5.5.4", "Bad SIZE parameter");
                }

                return size > _options.MaxMessageSize ? SmtpReply.MessageTooBig : null;
            case "BODY":
                return value is not null && (value.Equals("7BIT", StringComparison.OrdinalIgnoreCase) || value.Equals("8BITMIME", StringComparison.OrdinalIgnoreCase))
                    ? null
                    : new SmtpReply(501, "5.5.4", "Unsupported BODY parameter");
            case "SMTPUTF8" when value is null:
                smtpUtf8 = true;
                return null;
            default:
                return new SmtpReply(555, "5.5.4", $"Unsupported option: {SmtpPath.Sanitize(key)}");
        }
    }

    internal async ValueTask HandleRcptAsync(string arguments, CancellationToken cancellationToken)
    {
        if (!SmtpPath.TryParse(arguments, "TO", out var path, out var error))
        {
            await ErrorAsync(error).ConfigureAwait(false);
            return;
        }

        if (path!.Parameters.Count > 0)
        {
            var key = SmtpPath.Sanitize(path.Parameters.Keys.First());
            await ErrorAsync(new SmtpReply(555, "5.5.4", $"Unsupported option: {key}")).ConfigureAwait(false);
            return;
        }

        if (!path.IsAscii && !_smtpUtf8)
        {
            await ErrorAsync(new SmtpReply(553, "5.6.7", "Error: non-ASCII recipient address needs SMTPUTF8")).ConfigureAwait(false);
            return;
        }

        if (_recipients.Count >= _options.MaxRecipients)
        {
            await ReplyAsync(SmtpReply.TooManyRecipients).ConfigureAwait(false);
            return;
        }

        RecipientDecision decision;
        try
        {
            decision = await _recipientPolicy.CheckRecipientAsync(Snapshot(), path.Address, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RecipientPolicyFailed(_logger, ex, Id);
            await ReplyAsync(new SmtpReply(451, "4.3.0", "Error: temporary failure checking the recipient, try again later")).ConfigureAwait(false);
            return;
        }

        if (!decision.Accepted)
        {
            Log.RecipientRejected(_logger, Id, path.Address, decision.Code, decision.Text);
            // Permanent refusals count as errors, so address harvesting runs into MaxErrors (as in Postfix).
            var refusal = new SmtpReply(decision.Code, decision.EnhancedCode, decision.Text);
            await (decision.Code >= 500 ? ErrorAsync(refusal) : ReplyAsync(refusal)).ConfigureAwait(false);
            return;
        }

        if (!_recipients.Contains(path.Address, StringComparer.OrdinalIgnoreCase))
        {
            _recipients.Add(path.Address);
        }

        _state = SessionState.RecipientGiven;
        await ReplyAsync(new SmtpReply(250, "2.1.5", "Ok")).ConfigureAwait(false);
    }

    internal ValueTask HandleRsetAsync(string arguments, CancellationToken cancellationToken)
    {
        ResetTransaction();
        return ReplyAsync(SmtpReply.Ok);
    }

    internal ValueTask HandleQuitAsync()
    {
        _quit = true;
        return ReplyAsync(new SmtpReply(221, "2.0.0", "Bye"));
    }

    internal ValueTask HandleVrfyAsync(string arguments) =>
        arguments.Length == 0
            ? ErrorAsync(new SmtpReply(501, "5.5.4", "Syntax: VRFY address"))
            // RFC 5321 §3.5.3: 252 when the server will not verify but would accept the mail.
            : ReplyAsync(new SmtpReply(252, "2.5.2", "Cannot VRFY user, but will accept message and attempt delivery"));
}
