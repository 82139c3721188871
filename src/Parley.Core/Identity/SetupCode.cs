using System.Security.Cryptography;
using Parley.Core.Settings;

namespace Parley.Core.Identity;

/// <summary>
/// The one-time code that lets someone on another machine create the first admin: made once, kept in the database
/// (so a restart, or another node, shows the same one) and deleted with the creation of the first admin.
/// </summary>
public sealed class SetupCode(SecretSettings secrets)
{
    internal static readonly string Key = SecretSettings.KeyFor("setup-code");
    // No 0/O or 1/I/L: the code is read from a log and typed by hand. 12 characters of 31: about 59 bits.
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public Task<string> GetOrCreateAsync(CancellationToken cancellationToken) => secrets.GetOrCreateAsync("setup-code",
        () => string.Join('-', Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetString(Alphabet, 4))), cancellationToken);

    /// <summary>Compares as typed: case, spaces and dashes do not matter; the time taken does not reveal how much matched.</summary>
    public async Task<bool> MatchesAsync(string? typed, CancellationToken cancellationToken)
    {
        var expected = Normalize(await GetOrCreateAsync(cancellationToken));
        var given = Normalize(typed ?? "");
        return CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(expected), System.Text.Encoding.ASCII.GetBytes(given));
    }

    private static string Normalize(string code) => new(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
}
