using MimeKit;
using MimeKit.Cryptography;
using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Arc;

public enum ArcResult
{
    /// <summary>No ARC sets in the message.</summary>
    None,
    Pass,
    Fail,
}

/// <summary>The ARC chain validation status (RFC 8617 5.2), the number of sets, and why it failed.</summary>
public sealed record ArcVerification(ArcResult Result, int Instances, string? Reason)
{
    public string Token => Result.ToString().ToLowerInvariant();
}

/// <summary>
/// RFC 8617 chain validation through MimeKit's <see cref="ArcVerifier"/>, with keys fetched through our
/// resolver seam. Never throws for a bad message or DNS trouble; only cancellation propagates.
/// </summary>
public sealed class ArcChainVerifier(IDnsResolver dns)
{
    public async Task<ArcVerification> VerifyAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        int instances = message.Headers.Count(h => h.Id == HeaderId.ArcSeal);
        if (SignsArcSeal(message))
        {
            // MimeKit 4.18 does not enforce this rule; the ARC validation suite does (ams_fields_h_includes_as).
            return new ArcVerification(ArcResult.Fail, instances, "an ARC-Message-Signature signs ARC-Seal, which RFC 8617 4.1.2 forbids");
        }

        var verifier = new ArcVerifier(new DnsDkimPublicKeyLocator(dns));
        ArcValidationResult result;
        try
        {
            result = await verifier.VerifyAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or NotSupportedException or DkimKeyUnavailableException)
        {
            return new ArcVerification(ArcResult.Fail, instances, ex.Message);
        }

        return result.Chain switch
        {
            ArcSignatureValidationResult.Pass => new ArcVerification(ArcResult.Pass, instances, null),
            ArcSignatureValidationResult.None => new ArcVerification(ArcResult.None, instances, null),
            _ => new ArcVerification(ArcResult.Fail, instances, result.ChainErrors == ArcValidationErrors.None ? "the chain did not validate" : result.ChainErrors.ToString()),
        };
    }

    private static bool SignsArcSeal(MimeMessage message)
    {
        foreach (var header in message.Headers)
        {
            if (header.Id == HeaderId.ArcMessageSignature
                && DkimTagList.TryParse(header.Value, out var tags, out _)
                && tags.TryGetValue("h", out var h)
                && h.Split(':').Any(name => DkimTagList.StripWhitespace(name).Equals("arc-seal", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    public async Task<ArcVerification> VerifyAsync(Stream rawMessage, CancellationToken cancellationToken)
    {
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(rawMessage, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            return new ArcVerification(ArcResult.None, 0, "the message could not be parsed: " + ex.Message);
        }

        return await VerifyAsync(message, cancellationToken).ConfigureAwait(false);
    }
}
