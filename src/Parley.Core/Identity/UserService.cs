using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Identity;

/// <summary>First-run admin creation, password checks and user look-ups.</summary>
public sealed class UserService(ParleyDbContext db, TimeProvider clock)
{
    private static readonly PasswordHasher<User> Hasher = new();
    public const int MinPasswordLength = 10;

    public Task<bool> AnyUserAsync(CancellationToken ct) => db.Users.AnyAsync(ct);

    /// <summary>Creates a user; the first user of an installation is always an admin.</summary>
    public async Task<User> CreateAsync(string name, string email, string password, bool isAdmin, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var normalized = EmailAddress.Normalize(email);
        if (string.IsNullOrWhiteSpace(name)) errors["name"] = ["Please enter a name."];
        if (normalized is null) errors["email"] = ["Please enter a valid email address, like ana@example.com."];
        if (password is null || password.Length < MinPasswordLength)
            errors["password"] = [$"The password needs at least {MinPasswordLength} characters."];
        if (errors.Count > 0) throw new InvalidInputException(errors);
        if (await db.Users.AnyAsync(u => u.Email == normalized, ct))
            throw new InvalidInputException("email", "A user with this email address already exists.");

        var user = new User
        {
            Name = name.Trim(),
            Email = normalized!,
            PasswordHash = "",
            IsAdmin = isAdmin || !await db.Users.AnyAsync(ct),
            CreatedAt = clock.GetUtcNow(),
        };
        user.PasswordHash = Hasher.HashPassword(user, password!);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return user;
    }

    /// <summary>Returns the user when the password matches, else null (without saying which part was wrong).</summary>
    public async Task<User?> VerifyPasswordAsync(string email, string password, CancellationToken ct)
    {
        var normalized = EmailAddress.Normalize(email);
        if (normalized is null || string.IsNullOrEmpty(password)) return null;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, ct);
        if (user is null)
        {
            // Spend the same time as a real check so response times do not reveal which emails exist.
            Hasher.VerifyHashedPassword(new User { Email = "", Name = "", PasswordHash = "" }, DummyHash, password);
            return null;
        }
        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed) return null;
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
            await db.SaveChangesAsync(ct);
        }
        return user;
    }

    public Task<List<User>> ListAdminsAsync(CancellationToken ct) => db.Users.Where(u => u.IsAdmin).OrderBy(u => u.Name).ToListAsync(ct);

    public Task<User?> FindAsync(long id, CancellationToken ct) => db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);

    private static readonly string DummyHash = Hasher.HashPassword(new User { Email = "", Name = "", PasswordHash = "" }, "not-a-real-password");

    public static ActingUser ToActing(User u) => new(u.Id, u.Name, u.Email, u.IsAdmin);
}
