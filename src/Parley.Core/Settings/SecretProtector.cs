using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Parley.Core.Fetch;
using Parley.Core.Outbox;

namespace Parley.Core.Settings;

/// <summary>
/// Encrypts the secrets Parley keeps in rows (relay and mailbox passwords, DKIM private keys) with ASP.NET Data
/// Protection, keys in the data directory.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    // The purpose is part of every stored ciphertext: it keeps its first name, or nothing stored could be read again.
    private readonly IDataProtector _protector = provider.CreateProtector("Parley.OutgoingServer.Password.v1");

    public string? Protect(string? secret) => string.IsNullOrEmpty(secret) ? null : _protector.Protect(secret);

    /// <summary>The relay's password, or null when it has none.</summary>
    public string? PasswordOf(OutgoingServer server) => Unprotect(server.ProtectedPassword, StoredSecret.RelayPassword(server.Name));

    /// <summary>The fetched mailbox's password, or null when it has none.</summary>
    public string? PasswordOf(FetchAccount account) => Unprotect(account.PasswordProtected, StoredSecret.MailboxPassword(account.Name));

    /// <summary>Null when there is no secret; when the keys that encrypted it are gone, an error that names <paramref name="secret"/>.</summary>
    public string? Unprotect(string? protectedSecret, StoredSecret secret)
    {
        if (string.IsNullOrEmpty(protectedSecret))
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                $"The stored {secret.Name} cannot be decrypted (the data-protection keys changed). {secret.Remedy}", e);
        }
    }
}

/// <summary>Which secret a row keeps, in words: what it is, and how the admin replaces it when it cannot be decrypted.</summary>
public sealed record StoredSecret(string Name, string Remedy)
{
    public static StoredSecret RelayPassword(string server) =>
        new($"password of the outgoing server \"{server}\"", "Enter the password again in Settings.");

    public static StoredSecret MailboxPassword(string mailbox) =>
        new($"password of the mailbox \"{mailbox}\"", "Enter the password again on the Mailboxes page (Inbound).");

    public static StoredSecret DkimKey(string domain, string selector) =>
        new($"DKIM key \"{selector}\" of {domain}", "Rotate the domain's DKIM keys on the Domains page, then publish the new records.");
}
