namespace Parley.Deliverability.Dns;

/// <summary>
/// The one way deliverability code talks to DNS. Implementations never throw for DNS problems or
/// bad names: every outcome is a <see cref="DnsAnswer"/> status. Only cancellation by the caller's
/// token surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
public interface IDnsResolver
{
    /// <summary>Looks up <paramref name="name"/> (any case, trailing dot allowed, IDN allowed), following CNAMEs.</summary>
    Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken);
}
