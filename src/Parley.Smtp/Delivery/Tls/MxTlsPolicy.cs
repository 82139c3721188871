using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Parley.Deliverability.MtaSts;
using Parley.Smtp.Delivery.Mx;

namespace Parley.Smtp.Delivery.Tls;

/// <summary>What TLS one MX host of a recipient domain requires.</summary>
/// <param name="Skip">Why the host must not be tried at all (not listed by an enforced policy), else null.</param>
/// <param name="PolicyOf">The domain whose MTA-STS policy applies, else null (opportunistic TLS, any certificate).</param>
/// <param name="Enforced">TLS with a valid certificate is required: no plain text, no fallback.</param>
public sealed record MxTlsRequirement(string? Skip, string? PolicyOf, bool Enforced)
{
    public static readonly MxTlsRequirement Opportunistic = new(null, null, false);
}

/// <summary>
/// The one owner of "which TLS does this MX require" for direct delivery: MTA-STS (RFC 8461) from
/// <see cref="MtaStsPolicyCache"/>, else opportunistic STARTTLS. It also judges the certificate an MX presents and
/// counts what a <c>testing</c> policy would have refused (for a future TLS-RPT sender).
/// </summary>
/// <param name="trustedRoots">Roots to trust instead of the system's (tests pass their own CA, trusted by nobody else).</param>
public sealed class MxTlsPolicy(MtaStsPolicyCache? mtaSts, X509Certificate2Collection? trustedRoots = null)
{
    private readonly ConcurrentDictionary<string, int> _testingFailures = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per recipient domain, the sessions a <c>testing</c> policy would have refused.</summary>
    public IReadOnlyDictionary<string, int> TestingFailures => _testingFailures;

    /// <summary>The requirement of each host of <paramref name="route"/>, by host name.</summary>
    public async Task<Func<MxHost, MxTlsRequirement>> PlanAsync(MxRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        var policy = mtaSts is null ? null : await mtaSts.GetAsync(route.Domain, cancellationToken).ConfigureAwait(false);
        if (policy is null)
        {
            return static _ => MxTlsRequirement.Opportunistic;
        }

        var domain = route.Domain;
        return host =>
        {
            var listed = policy.Matches(host.Name);
            if (policy.Mode == MtaStsMode.Enforce)
            {
                return listed
                    ? new MxTlsRequirement(null, domain, Enforced: true)
                    : new MxTlsRequirement($"{domain}'s MTA-STS policy does not list {host.Name} (mx: {string.Join(", ", policy.MxPatterns)}); not tried", domain, true);
            }

            return new MxTlsRequirement(null, domain, Enforced: false);
        };
    }

    /// <summary>Why the certificate <paramref name="host"/> presented is not valid for it, or null when it is.</summary>
    public string? CertificateProblem(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return $"{host} presented no certificate";
        }

        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"{host} presented a certificate for {presented.GetNameInfo(X509NameType.DnsName, false)}, not for {host}";
        }

        if (trustedRoots is not null)
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            }

            return custom.Build(presented) ? null : ChainProblem(host, presented);
        }

        return errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) ? ChainProblem(host, presented) : null;
    }

    internal void NoteTestingFailure(string domain) => _testingFailures.AddOrUpdate(domain, 1, static (_, n) => n + 1);

    private static string ChainProblem(string host, X509Certificate2 presented) =>
        presented.SubjectName.RawData.AsSpan().SequenceEqual(presented.IssuerName.RawData)
            ? $"{host} presented a self-signed certificate"
            : $"{host} presented a certificate that no trusted authority issued (issuer {presented.Issuer})";
}
