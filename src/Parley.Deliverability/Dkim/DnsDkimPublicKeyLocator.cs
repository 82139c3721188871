using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Dkim;

/// <summary>Thrown to MimeKit when a key cannot be had; <see cref="Status"/> tells temporary from permanent.</summary>
public sealed class DkimKeyUnavailableException(DkimKeyStatus status, string message) : Exception(message)
{
    public DkimKeyStatus Status { get; } = status;
}

/// <summary>
/// MimeKit's key locator on top of our resolver seam (used by the ARC verifier). Keys are parsed by
/// <see cref="DkimKeyRecordParser"/>; revoked or unusable keys and DNS failures throw, which MimeKit
/// turns into a failed signature.
/// </summary>
public sealed class DnsDkimPublicKeyLocator(IDnsResolver dns) : IDkimPublicKeyLocator
{
    public AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        var lookup = await DkimKeyLookup.FindAsync(dns, domain, selector, cancellationToken).ConfigureAwait(false);
        if (lookup.Record is not { } record)
        {
            throw new DkimKeyUnavailableException(lookup.Status, lookup.Problem ?? "no key");
        }

        if (record.Key is not { } key || !record.AllowsEmail)
        {
            throw new DkimKeyUnavailableException(DkimKeyStatus.Invalid, record.Revoked ? $"the key at {lookup.Name} is revoked" : $"the key at {lookup.Name} is not for email (s=)");
        }

        return key;
    }
}

/// <summary>Hands MimeKit the key we already fetched and checked, so the DNS lookup happens once, on our terms.</summary>
internal sealed class FixedKeyLocator(AsymmetricKeyParameter key) : IDkimPublicKeyLocator
{
    public AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) => key;

    public Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Task.FromResult(key);
}
