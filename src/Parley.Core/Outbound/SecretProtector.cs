using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Parley.Core.Outbound;

/// <summary>Encrypts relay passwords at rest with ASP.NET Data Protection (keys in the data directory).</summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Parley.OutgoingServer.Password.v1");

    public string? Protect(string? secret) => string.IsNullOrEmpty(secret) ? null : _protector.Protect(secret);

    /// <summary>Null when there is no secret; throws a clear error when the keys that encrypted it are gone.</summary>
    public string? Unprotect(string? protectedSecret)
    {
        if (string.IsNullOrEmpty(protectedSecret)) return null;
        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                "The stored relay password cannot be decrypted (the data-protection keys changed). Enter the password again in Settings.", e);
        }
    }
}
