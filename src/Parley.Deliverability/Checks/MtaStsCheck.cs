using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Parley.Deliverability.MtaSts;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Checks;

/// <summary>Fetches https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt. Behind an interface so tests never touch the network.</summary>
public interface IMtaStsPolicyFetcher
{
    /// <summary>The policy text, or null when there is none (404, no such host); throws nothing but cancellation.</summary>
    Task<MtaStsFetchResult> FetchAsync(string domain, CancellationToken cancellationToken);
}

public sealed record MtaStsFetchResult(string? Policy, string? Error);

/// <summary>The real fetcher: HTTPS only, certificate checked by the platform, short timeout, small size limit.</summary>
public sealed class HttpMtaStsPolicyFetcher(HttpClient http) : IMtaStsPolicyFetcher
{
    private const int MaxPolicyBytes = 64 * 1024;

    /// <summary>A fetcher with its own client as RFC 8461 §3.3 wants it; the one way Parley builds it (serve and the CLI).</summary>
    public static HttpMtaStsPolicyFetcher Create() => new(CreateClient());

    /// <summary>
    /// HTTPS with the platform's certificate checks, and no redirects: a policy host that answers 3xx has no
    /// policy, otherwise whoever controls the redirect target would choose the domain's MX hosts.
    /// </summary>
    public static HttpClient CreateClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            Timeout = TimeSpan.FromSeconds(20),
            MaxResponseContentBufferSize = MaxPolicyBytes,
        };

    public async Task<MtaStsFetchResult> FetchAsync(string domain, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await http.GetAsync(new Uri($"https://mta-sts.{domain}/.well-known/mta-sts.txt"), HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return new MtaStsFetchResult(null, $"HTTP {(int)response.StatusCode}");
            }

            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return body.Length > MaxPolicyBytes ? new MtaStsFetchResult(null, "policy larger than 64 KiB") : new MtaStsFetchResult(body, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new MtaStsFetchResult(null, ex.Message);
        }
    }
}

/// <summary>MTA-STS (RFC 8461): the _mta-sts TXT record and, when a fetcher is given, the HTTPS policy and its mx patterns.</summary>
public sealed class MtaStsCheck(IDnsResolver dns, IMtaStsPolicyFetcher? fetcher)
{
    public async Task<IReadOnlyList<Finding>> CheckAsync(string domain, CancellationToken cancellationToken)
    {
        var name = "_mta-sts." + domain;
        var answer = await SafeDns.QueryAsync(dns, name, DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
        if (answer.IsTemporaryFailure)
        {
            return [new Finding("mta-sts.dns-error", FindingSeverity.Info, "MTA-STS record could not be read", $"TXT lookup for {name} failed: {answer.Status}.")];
        }

        var records = answer.RecordsOf<DnsTxtRecord>().Where(t => t.Text.TrimStart().StartsWith("v=STSv1", StringComparison.Ordinal)).ToArray();
        if (records.Length == 0)
        {
            return [new Finding("mta-sts.missing", FindingSeverity.Info, "No MTA-STS policy",
                $"{domain} publishes no {name} record; senders may deliver to it without TLS when an attacker strips STARTTLS. Optional, recommended once TLS works on every MX.")];
        }

        if (records.Length > 1 || !records[0].Text.Contains("id=", StringComparison.Ordinal))
        {
            return [new Finding("mta-sts.syntax", FindingSeverity.Warn, "MTA-STS record is invalid",
                records.Length > 1 ? $"{name} has {records.Length} v=STSv1 records; senders ignore them all." : $"{name}: \"{records[0].Text}\" has no id= tag.")];
        }

        if (fetcher is null)
        {
            return [new Finding("mta-sts.present", FindingSeverity.Info, "MTA-STS record present", $"{name}: \"{records[0].Text}\" (the HTTPS policy was not fetched).")];
        }

        var fetched = await fetcher.FetchAsync(domain, cancellationToken).ConfigureAwait(false);
        if (fetched.Policy is null)
        {
            return [new Finding("mta-sts.policy-unavailable", FindingSeverity.Warn, "MTA-STS policy cannot be fetched",
                $"{name} announces a policy, but https://mta-sts.{domain}/.well-known/mta-sts.txt failed ({fetched.Error}); senders treat the domain as having no policy.")];
        }

        // The same strict reading as delivery's (MtaSts/MtaStsPolicy), so the doctor says what senders will do.
        var parse = MtaStsPolicy.Parse(fetched.Policy);
        if (parse.Policy is not { } policy)
        {
            return [new Finding("mta-sts.policy-invalid", FindingSeverity.Warn, "MTA-STS policy is invalid",
                $"{parse.Error} Senders treat the domain as having no policy.")];
        }

        var mode = policy.Mode.ToString().ToLowerInvariant();
        return [new Finding("mta-sts.valid", policy.Mode == MtaStsMode.Enforce ? FindingSeverity.Pass : FindingSeverity.Info, "MTA-STS policy is valid",
            $"mode {mode}, max_age {(long)policy.MaxAge.TotalSeconds}, mx {(policy.MxPatterns.Count > 0 ? string.Join(", ", policy.MxPatterns) : "(none)")}." + (policy.Mode == MtaStsMode.Testing ? " Move to mode: enforce once TLS-RPT reports are clean." : string.Empty))];
    }
}
