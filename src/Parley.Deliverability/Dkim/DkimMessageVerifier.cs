using MimeKit;
using MimeKit.Cryptography;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Dkim;

/// <summary>
/// Verifies every DKIM-Signature of a message. Tags and the key record are checked here (to give each
/// signature a precise result and reason); the canonicalization and cryptography are MimeKit's
/// <see cref="DkimVerifier"/>. Never throws for a bad message or DNS trouble; only cancellation propagates.
/// </summary>
public sealed class DkimMessageVerifier
{
    /// <summary>RFC 8301: verifiers must not accept RSA keys under 1024 bits.</summary>
    public const int MinimumRsaBits = 1024;

    private readonly IDnsResolver _dns;
    private readonly TimeProvider _time;

    public DkimMessageVerifier(IDnsResolver dns, TimeProvider? time = null)
    {
        _dns = dns;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Parses the raw message and verifies it; a message MimeKit cannot parse has no signatures.</summary>
    public async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(Stream rawMessage, CancellationToken cancellationToken)
    {
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(rawMessage, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException)
        {
            return [];
        }

        return await VerifyAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One result per DKIM-Signature header, in header order. No signature: an empty list (DKIM "none").</summary>
    public async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToArray();
        if (signatures.Length == 0)
        {
            return [];
        }

        // Signatures are independent: their key lookups run in parallel.
        var results = await Task.WhenAll(signatures.Select(h => VerifySignatureAsync(message, h, cancellationToken))).ConfigureAwait(false);
        return results;
    }

    public async Task<DkimSignatureResult> VerifySignatureAsync(MimeMessage message, Header signatureHeader, CancellationToken cancellationToken)
    {
        var signature = DkimSignature.Parse(Unfold(signatureHeader), _time.GetUtcNow());
        var result = new DkimSignatureResult
        {
            Result = DkimResult.Neutral,
            Domain = signature.Domain,
            Selector = signature.Selector,
            Identity = signature.Identity ?? (signature.Domain.Length > 0 ? "@" + signature.Domain : null),
            Algorithm = signature.AlgorithmText,
        };
        if (signature.Problem is { } problem)
        {
            return result with { Result = problem.Result, Reason = problem.Reason };
        }

        var lookup = await DkimKeyLookup.FindAsync(_dns, signature.Domain, signature.Selector, cancellationToken).ConfigureAwait(false);
        switch (lookup.Status)
        {
            case DkimKeyStatus.TempError:
                return result with { Result = DkimResult.TempError, Reason = lookup.Problem };
            case DkimKeyStatus.Missing:
                return result with { Result = DkimResult.PermError, Reason = $"no key for signature: {lookup.Problem}" };
            case DkimKeyStatus.Invalid:
                return result with { Result = DkimResult.PermError, Reason = lookup.Problem };
        }

        var key = lookup.Record!;
        result = result with { KeyBits = key.KeyBits, Testing = key.Testing };
        var keyProblem = key switch
        {
            { Revoked: true } => "the key is revoked (empty p=)",
            _ when key.KeyType != signature.KeyType => $"the key is k={key.KeyType.ToString().ToLowerInvariant()} but the signature is a={signature.AlgorithmText}",
            _ when !key.AllowsEmail => $"the key is not for email (s={string.Join(':', key.ServiceTypes)})",
            _ when !key.AllowsHash(signature.HashName) => $"the key does not allow {signature.HashName} (h={string.Join(':', key.HashAlgorithms)})",
            _ when key.KeyType == DkimKeyType.Rsa && key.KeyBits < MinimumRsaBits => $"the RSA key has {key.KeyBits} bits; under {MinimumRsaBits} is not accepted (RFC 8301)",
            _ when key.StrictIdentity && signature.Identity is { } i && !i[(i.LastIndexOf('@') + 1)..].Equals(signature.Domain, StringComparison.OrdinalIgnoreCase)
                => $"the key has t=s but i={i} is a subdomain of d={signature.Domain}",
            _ => null,
        };
        if (keyProblem is not null)
        {
            return result with { Result = DkimResult.PermError, Reason = keyProblem };
        }

        Org.BouncyCastle.Crypto.AsymmetricKeyParameter parameter;
        try
        {
            parameter = key.Key!;
        }
        catch (ArgumentException ex)
        {
            return result with { Result = DkimResult.PermError, Reason = "the key cannot be used: " + ex.Message };
        }

        var verifier = new ExplainingVerifier(new FixedKeyLocator(parameter));
        bool valid;
        try
        {
            valid = await verifier.VerifyAsync(message, signatureHeader, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return result with { Result = DkimResult.Neutral, Reason = "MimeKit could not process the signature: " + ex.Message };
        }

        if (valid)
        {
            return result with
            {
                Result = DkimResult.Pass,
                Reason = signature.BodyLength >= 0 ? $"only the first {signature.BodyLength} body octets are signed (l=)" : null,
            };
        }

        bool bodyMatches = verifier.BodyHashMatches(message, signature);
        return result with
        {
            Result = DkimResult.Fail,
            Reason = bodyMatches ? "signature did not verify (headers changed, or the key is not the signer's)" : "body hash did not verify (the body was changed)",
        };
    }

    /// <summary>The header value with folding removed, as the tag-list parser expects.</summary>
    private static string Unfold(Header header)
    {
        var raw = header.RawValue is { Length: > 0 } bytes ? System.Text.Encoding.Latin1.GetString(bytes) : header.Value;
        return raw.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>Exposes MimeKit's body-hash check so a failure can say which half failed.</summary>
    private sealed class ExplainingVerifier(IDkimPublicKeyLocator locator) : DkimVerifier(locator)
    {
        public bool BodyHashMatches(MimeMessage message, DkimSignature signature)
        {
            try
            {
                // As MimeKit's own Verify does: canonicalize with CRLF line ends.
                var options = FormatOptions.Default.Clone();
                options.NewLineFormat = NewLineFormat.Dos;
                return VerifyBodyHash(options, message, signature.Algorithm, signature.BodyCanonicalization, signature.BodyLength, signature.BodyHash);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                return false;
            }
        }
    }
}
