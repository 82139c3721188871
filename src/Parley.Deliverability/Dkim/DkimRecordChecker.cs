using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;

namespace Parley.Deliverability.Dkim;

/// <summary>One DKIM selector Parley signs with: the selector, the p= of the key it signs with, and d= (default: the sending domain).</summary>
public sealed record DkimSelectorSetup(string Selector, string? PublicKey = null, string? Domain = null);

/// <summary>The doctor's verdict on one selector: findings, and whether its key can verify Parley's signatures.</summary>
public sealed record DkimSelectorCheck(string Domain, string Selector, bool KeyValid, DkimKeyRecord? Published, IReadOnlyList<Finding> Findings);

/// <summary>
/// Checks a selector's key record as the doctor does: present, parses, key type and size (fail under
/// 1024 bits, warn under 2048), t=y, revoked, and that it is the key Parley signs with. Each problem
/// that a record can fix carries the exact record to publish.
/// </summary>
public sealed class DkimRecordChecker(IDnsResolver dns)
{
    public async Task<DkimSelectorCheck> CheckAsync(string domain, DkimSelectorSetup setup, CancellationToken cancellationToken)
    {
        var d = (setup.Domain ?? domain).Trim().TrimEnd('.').ToLowerInvariant();
        var lookup = await DkimKeyLookup.FindAsync(dns, d, setup.Selector, cancellationToken).ConfigureAwait(false);
        var name = lookup.Name;
        var expected = ExpectedKey(setup.PublicKey);
        var fix = setup.PublicKey is { Length: > 0 } p ? new DnsFix("TXT", name, DkimKeys.Record(p)) : null;
        var publishHint = fix is null
            ? " Publish the public key of the selector (Parley shows it with its DKIM settings)."
            : fix.Value.Length > TxtStrings.MaxStringLength
                ? $" Publish the record below; it is longer than 255 characters, so it goes in as {fix.Strings.Count} strings: {TxtStrings.ToZoneText(fix.Value)}."
                : " Publish the record below.";
        var findings = new List<Finding>();
        DkimSelectorCheck Done(bool valid) => new(d, setup.Selector, valid, lookup.Record, findings);

        switch (lookup.Status)
        {
            case DkimKeyStatus.TempError:
                findings.Add(new Finding("dkim.dns-error", FindingSeverity.Warn, $"DKIM selector '{setup.Selector}' could not be read", $"{lookup.Problem}. Receivers seeing this give temperror."));
                return Done(false);
            case DkimKeyStatus.Missing:
                findings.Add(new Finding("dkim.missing", FindingSeverity.Fail, $"No DKIM key for selector '{setup.Selector}'",
                    $"{name} has no key record, so every signature Parley makes with it fails (permerror)." + publishHint, fix));
                return Done(false);
            case DkimKeyStatus.Invalid:
                findings.Add(new Finding("dkim.syntax", FindingSeverity.Fail, $"DKIM key record of '{setup.Selector}' is invalid",
                    $"{lookup.Problem}: {string.Join(" | ", lookup.Texts.Select(t => "\"" + t.Text + "\""))}. Receivers cannot verify signatures with it." + publishHint, fix));
                return Done(false);
        }

        var record = lookup.Record!;
        if (lookup.Texts.Count > 1)
        {
            findings.Add(new Finding("dkim.multiple-records", FindingSeverity.Warn, $"Selector '{setup.Selector}' has several TXT records",
                $"{name} has {lookup.Texts.Count} TXT records; receivers may pick any of them. Keep only the key record."));
        }

        if (record.Revoked)
        {
            findings.Add(new Finding("dkim.revoked", FindingSeverity.Fail, $"DKIM key of '{setup.Selector}' is revoked",
                $"{name} publishes an empty p=, which revokes the key: signatures with it fail." + publishHint, fix));
            return Done(false);
        }

        bool valid = true;
        if (!record.AllowsEmail)
        {
            valid = false;
            findings.Add(new Finding("dkim.syntax", FindingSeverity.Fail, $"DKIM key of '{setup.Selector}' is not for email",
                $"{name} has s={string.Join(':', record.ServiceTypes)}; receivers will not use it for mail." + publishHint, fix));
        }

        if (record.KeyType == DkimKeyType.Rsa && record.KeyBits < DkimMessageVerifier.MinimumRsaBits)
        {
            valid = false;
            findings.Add(new Finding("dkim.weak-key", FindingSeverity.Fail, $"DKIM key of '{setup.Selector}' is too short",
                $"The RSA key at {name} has {record.KeyBits} bits; receivers reject keys under 1024 bits (RFC 8301). Generate a 2048-bit key.", fix));
        }
        else if (record.KeyType == DkimKeyType.Rsa && record.KeyBits < 2048)
        {
            findings.Add(new Finding("dkim.weak-key", FindingSeverity.Warn, $"DKIM key of '{setup.Selector}' is weak",
                $"The RSA key at {name} has {record.KeyBits} bits; 2048 is the recommended size. Rotate to a 2048-bit key.", fix));
        }

        if (record.Testing)
        {
            findings.Add(new Finding("dkim.testing", FindingSeverity.Warn, $"DKIM selector '{setup.Selector}' is in test mode (t=y)",
                $"{name} has t=y: receivers may treat signed mail like unsigned mail. Remove t=y once signatures verify.",
                new DnsFix("TXT", name, fix?.Value ?? RemoveTestFlag(record.Text))));
        }

        if (expected is not null && !expected.SameKey(record.PublicKey))
        {
            valid = false;
            findings.Add(new Finding("dkim.key-mismatch", FindingSeverity.Fail, $"DKIM key of '{setup.Selector}' is not the key Parley signs with",
                $"The key published at {name} does not match Parley's private key, so Parley's signatures fail." + publishHint, fix));
        }

        if (valid && !findings.HasProblem())
        {
            findings.Add(new Finding("dkim.valid", FindingSeverity.Pass, $"DKIM selector '{setup.Selector}' is valid",
                $"{name}: {record.KeyType.ToString().ToLowerInvariant()} {record.KeyBits}-bit key{(expected is null ? string.Empty : ", matching Parley's signing key")}."));
        }

        return Done(valid);
    }

    private static DkimPublicKey? ExpectedKey(string? publicKey)
    {
        if (string.IsNullOrWhiteSpace(publicKey))
        {
            return null;
        }

        var base64 = DkimTagList.StripWhitespace(publicKey);
        return DkimKeyRecordParser.TryDecodeKey(DkimKeys.InferType(base64), base64, out var key, out _) ? key : null;
    }

    private static string RemoveTestFlag(string text) =>
        string.Join("; ", text.Split(';').Select(t => t.Trim()).Where(t => t.Length > 0 && !t.StartsWith("t=", StringComparison.OrdinalIgnoreCase)));
}
