using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Parley.Smtp.Delivery.Mx;
using Parley.Smtp.Delivery.Pool;
using Parley.Smtp.Delivery.Tls;

namespace Parley.Smtp.Delivery;

/// <summary>
/// <see cref="ISmtpDeliveryClient"/> over MailKit with a session pool: authenticated sessions are kept per
/// destination and reused (MailKit pipelines MAIL/RCPT/DATA when the server offers PIPELINING). A reused session that
/// turns out dead is discarded and the message retried once on a new one, unless its content may already have
/// reached the server. Dispose to QUIT the idle sessions.
/// </summary>
public sealed partial class SmtpDeliveryClient : ISmtpDeliveryClient, IAsyncDisposable, IDisposable
{
    private readonly SmtpDeliveryOptions _options;
    private readonly ILogger _logger;
    private readonly IMxRouteResolver? _mx;
    private readonly SmtpConnectionPool _pool;
    private readonly DomainRateLimiter _rateLimiter;
    private readonly DestinationThrottle _throttle;
    private readonly TimeProvider _time;
    private readonly MxTlsPolicy _tls;

    /// <param name="mxResolver">Needed by <see cref="SendDirectAsync"/> only (registered by AddParleySmtpDelivery).</param>
    /// <param name="timeProvider">Idle timeouts and rate limits; the system clock when null.</param>
    /// <param name="tlsPolicy">Which TLS each MX requires (MTA-STS); opportunistic TLS everywhere when null.</param>
    public SmtpDeliveryClient(
        IOptions<SmtpDeliveryOptions> options,
        ILogger<SmtpDeliveryClient> logger,
        IMxRouteResolver? mxResolver = null,
        TimeProvider? timeProvider = null,
        MxTlsPolicy? tlsPolicy = null)
    {
        _tls = tlsPolicy ?? new MxTlsPolicy(null);
        _options = options.Value;
        _logger = logger;
        _mx = mxResolver;
        _time = timeProvider ?? TimeProvider.System;
        _pool = new SmtpConnectionPool(_options, _time, logger);
        _rateLimiter = new DomainRateLimiter(_options, _time);
        _throttle = new DestinationThrottle(_options, _time);
    }

    /// <summary>Sessions opened so far (for tests and metrics).</summary>
    public int ConnectionsOpened => _pool.ConnectionsOpened;

    /// <summary>Transactions that ran on a reused session.</summary>
    public int ConnectionsReused => _pool.ConnectionsReused;

    public int IdleConnections => _pool.IdleConnections;

    public async Task<DeliveryResult> SendAsync(
        RelayEndpoint relay, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        Validate(message, recipients);
        var domains = recipients.Select(DomainOf).ToList();
        if (Held(domains, recipients) is { } held)
        {
            return held;
        }

        if (await _rateLimiter.WaitAsync(domains, cancellationToken).ConfigureAwait(false) is { } limited)
        {
            return RateLimited(limited, recipients);
        }

        var endpoint = KeyFor(relay);
        var result = Throttled(domains, await SendPooledAsync("relay " + endpoint, endpoint, message, envelopeFrom, recipients, cancellationToken).ConfigureAwait(false));
        LogDelivery(result);
        return result;
    }

    public async Task<IReadOnlyList<DeliveryResult>> SendManyAsync(IReadOnlyList<DeliveryRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var results = new DeliveryResult[requests.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelSends), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), parallel, async (i, token) =>
        {
            var request = requests[i];
            results[i] = request.Relay is null
                ? await SendDirectAsync(request.Message, request.EnvelopeFrom, request.Recipients, token).ConfigureAwait(false)
                : await SendAsync(request.Relay, request.Message, request.EnvelopeFrom, request.Recipients, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// One message over a pooled session to <paramref name="endpoint"/>: reuse an idle one or open one; a reused session
    /// that breaks before the content went out is replaced once.
    /// </summary>
    private async Task<DeliveryResult> SendPooledAsync(
        string destination, EndpointKey endpoint, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var lease = await _pool.AcquireAsync(destination, endpoint, cancellationToken).ConfigureAwait(false);
        var connection = lease.Idle;
        var reusable = false;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var reused = connection is not null;
                if (connection is null)
                {
                    var (opened, failure) = await OpenAsync(endpoint, recipients, cancellationToken).ConfigureAwait(false);
                    if (failure is not null)
                    {
                        return failure with { Host = endpoint.Host };
                    }

                    connection = opened!;
                }

                var outcome = await TransactAsync(connection, message, envelopeFrom, recipients, cancellationToken).ConfigureAwait(false);
                if (outcome.Broken && reused && attempt == 1 && outcome.SafeToRetry)
                {
                    // A kept session the server had closed (idle timeout, restart, 421): nothing was accepted on it.
                    LogStaleSession(_logger, endpoint.ToString(), outcome.Result.StatusCode, outcome.Result.Response);
                    await connection.CloseAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                    connection = null;
                    continue;
                }

                reusable = outcome.Result.IsSent;
                return outcome.Result with { Host = endpoint.Host };
            }
        }
        finally
        {
            // Cancelled or failed sessions are closed: their protocol state is unknown.
            lease.Return(connection, reusable);
        }
    }

    private async Task<(PooledConnection? Connection, DeliveryResult? Failure)> OpenAsync(
        EndpointKey endpoint, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var protocolLog = new RedactingProtocolLogger(_logger, keepTranscript: false);
        var client = CreateClient(endpoint, protocolLog);
        var stage = DeliveryStage.Connect;
        try
        {
            await SmtpTransaction.ConnectAsync(client, endpoint, _options.Timeout, s => stage = s, cancellationToken).ConfigureAwait(false);
            NoteTestingPolicy(endpoint, client);
            _pool.NoteOpened(endpoint);
            return (new PooledConnection(client, protocolLog, endpoint, _time.GetUtcNow()), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DeliveryFailure.TryClassify(ex, out var failure))
        {
            client.Dispose();
            return (null, SmtpTransaction.Failed(PolicyFailure(endpoint, client, failure), stage, recipients, client.RecipientReplies));
        }
        catch (NotSupportedException ex) when (stage == DeliveryStage.Connect)
        {
            // A relay set to STARTTLS whose server offers none: defer, as MTA-STS does (RFC 8461 §5).
            client.Dispose();
            client.CertificateProblem ??= $"{endpoint.Host} does not offer STARTTLS";
            return (null, SmtpTransaction.Failed(PolicyFailure(endpoint, client, DeliveryFailure.Transient(ex.Message)), stage, recipients, client.RecipientReplies));
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task<TransactionOutcome> TransactAsync(
        PooledConnection connection, MimeMessage message, string envelopeFrom, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var client = connection.Client;
        connection.ProtocolLog.BeginTransaction();
        try
        {
            var result = await SmtpTransaction.SendOverAsync(client, message, envelopeFrom, recipients, cancellationToken).ConfigureAwait(false);
            connection.Messages++;
            return new TransactionOutcome(result, Broken: false, SafeToRetry: false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DeliveryFailure.TryClassify(ex, out var failure))
        {
            var result = SmtpTransaction.Failed(failure, SmtpTransaction.FailedStage(ex, client), recipients, client.RecipientReplies);
            // After the content went out, a lost reply may hide an accepted message (RFC 1047): only a 421 says it was not.
            var broken = SmtpTransaction.BreaksConnection(ex);
            return new TransactionOutcome(result, broken, !connection.ProtocolLog.DataStarted || failure.StatusCode == 421);
        }
        catch (NoRecipientsAcceptedException)
        {
            return new TransactionOutcome(SmtpTransaction.AllRecipientsRefused(recipients, client.RecipientReplies), Broken: false, SafeToRetry: false);
        }
    }

    public async Task<ConnectionTestResult> TestConnectionAsync(
        RelayEndpoint relay, string envelopeFrom, string recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var protocolLog = new RedactingProtocolLogger(_logger, keepTranscript: true);
        var endpoint = KeyFor(relay);
        using var client = CreateClient(endpoint, protocolLog);
        var stage = DeliveryStage.Connect;
        try
        {
            await SmtpTransaction.ConnectAsync(client, endpoint, _options.Timeout, s => stage = s, cancellationToken).ConfigureAwait(false);
            stage = DeliveryStage.MailFrom;
            var reply = await client.SendRawCommandAsync($"MAIL FROM:<{envelopeFrom}>", cancellationToken).ConfigureAwait(false);
            if ((int)reply.StatusCode is >= 200 and < 300)
            {
                stage = DeliveryStage.RcptTo;
                reply = await client.SendRawCommandAsync($"RCPT TO:<{recipient}>", cancellationToken).ConfigureAwait(false);
            }

            var success = (int)reply.StatusCode is >= 200 and < 300;
            if (success)
            {
                stage = DeliveryStage.Completed;
            }

            await client.SendRawCommandAsync("RSET", cancellationToken).ConfigureAwait(false);
            await SmtpTransaction.QuitQuietlyAsync(client, cancellationToken).ConfigureAwait(false);
            var failure = DeliveryFailure.FromReply((int)reply.StatusCode, reply.Response);
            return new ConnectionTestResult(
                success, success ? DeliveryOutcome.Sent : failure.Outcome, stage, (int)reply.StatusCode,
                failure.EnhancedStatus, reply.Response, client.IsSecure, protocolLog.Transcript);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (DeliveryFailure.TryClassify(ex, out _) || ex is NotSupportedException))
        {
            var failure = DeliveryFailure.TryClassify(ex, out var classified) ? classified : DeliveryFailure.Transient(ex.Message);
            return new ConnectionTestResult(
                false, failure.Outcome, stage, failure.StatusCode, failure.EnhancedStatus, failure.Response,
                client.IsSecure, protocolLog.Transcript);
        }
    }

    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    public void Dispose() => _pool.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private ParleySmtpClient CreateClient(EndpointKey endpoint, RedactingProtocolLogger protocolLog)
    {
        var client = new ParleySmtpClient(protocolLog)
        {
            Timeout = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds),
            CheckCertificateRevocation = _options.CheckCertificateRevocation,
        };
        if (endpoint.LocalName is { } helo)
        {
            client.LocalDomain = helo;
        }

        if (endpoint.TlsPolicyOf is not null)
        {
            // Judged by the TLS policy: an enforced one refuses a bad certificate, a testing one only records it.
            client.ServerCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                client.CertificateProblem = _tls.CertificateProblem(endpoint.Host, certificate, chain, errors);
                return client.CertificateProblem is null || !endpoint.TlsEnforced;
            };
        }
        else if (!endpoint.ValidateCertificate)
        {
            client.ServerCertificateValidationCallback = static (_, _, _, _) => true;
        }

        return client;
    }

    /// <summary>Under an enforced MTA-STS policy, a TLS failure is deferred with words that say which policy wanted what.</summary>
    private static DeliveryFailure PolicyFailure(EndpointKey endpoint, ParleySmtpClient client, DeliveryFailure failure)
    {
        if (endpoint.TlsPolicyOf is null || !endpoint.TlsEnforced || client.IsSecure && client.CertificateProblem is null)
        {
            return failure;
        }

        var problem = client.CertificateProblem ?? $"the TLS handshake with {endpoint.Host} failed ({failure.Response})";
        return new DeliveryFailure(DeliveryOutcome.TransientFailure, 0, "4.7.5",
            $"{endpoint.TlsPolicyOf}'s MTA-STS policy requires TLS with a valid certificate; {problem}. Not sent in clear; will retry.");
    }

    /// <summary>A testing policy delivers anyway; what enforce would have refused is counted and logged (for TLS-RPT).</summary>
    private void NoteTestingPolicy(EndpointKey endpoint, ParleySmtpClient client)
    {
        if (endpoint.TlsPolicyOf is null || endpoint.TlsEnforced)
        {
            return;
        }

        var problem = client.IsSecure ? client.CertificateProblem : $"{endpoint.Host} does not offer STARTTLS";
        if (problem is not null)
        {
            _tls.NoteTestingFailure(endpoint.TlsPolicyOf);
            LogMtaStsTestingFailure(_logger, endpoint.TlsPolicyOf, endpoint.Host, problem);
        }
    }

    /// <summary>The pool's key for a relay: where it is, how to log in, and the EHLO name a session to it introduces itself with.</summary>
    private EndpointKey KeyFor(RelayEndpoint relay) => EndpointKey.For(relay, RelayAddress(relay.Host), _options.HeloName);

    /// <summary>The configured address for a relay host (<see cref="SmtpDeliveryOptions.RelayHostAddresses"/>), else null: resolve it.</summary>
    private IPAddress? RelayAddress(string host) =>
        _options.RelayHostAddresses.TryGetValue(host.TrimEnd('.'), out var text) && IPAddress.TryParse(text, out var address) ? address : null;

    private static void Validate(MimeMessage message, IReadOnlyList<string> recipients)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("At least one recipient is required.", nameof(recipients));
        }
    }

    private static string DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? string.Empty : address[(at + 1)..].ToLowerInvariant();
    }

    /// <summary>A domain that asked to slow down is held back: nothing is sent, and the caller is told when to try again.</summary>
    private DeliveryResult? Held(IReadOnlyList<string> domains, IReadOnlyList<string> recipients)
    {
        if (_throttle.Holding(domains) is not { } hold)
        {
            return null;
        }

        LogThrottled(_logger, hold.Domain, hold.Wait);
        return DeliveryResult.NotAttempted(DeliveryOutcome.TransientFailure, "4.7.0",
            $"Parley is slowing down for {hold.Domain}, whose server asked it to ({hold.Reply}); held for {Math.Ceiling(hold.Wait.TotalSeconds):0} s.", recipients)
            with
        { RetryAfter = hold.Wait };
    }

    /// <summary>A server's "slow down" (421, 4.7.x) throttles its domains, and the result says when to try again.</summary>
    private DeliveryResult Throttled(IReadOnlyList<string> domains, DeliveryResult result) =>
        _throttle.Observe(domains, result) is { } backoff ? result with { RetryAfter = backoff } : result;

    private DeliveryResult RateLimited(string domain, IReadOnlyList<string> recipients)
    {
        LogRateLimited(_logger, domain);
        return DeliveryResult.NotAttempted(
            DeliveryOutcome.TransientFailure, "4.7.0",
            $"Parley's rate limit for {domain} ({_options.RateLimitPerDomain:0.##} messages/s) is reached; deferred locally.", recipients);
    }

    private readonly record struct TransactionOutcome(DeliveryResult Result, bool Broken, bool SafeToRetry);
}
