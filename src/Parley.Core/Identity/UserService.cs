using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Identity;

/// <summary>First-run admin creation, password checks and changes, session stamps and user look-ups.</summary>
public sealed class UserService(ParleyDbContext db, TimeProvider clock)
{
    private static readonly PasswordHasher<User> Hasher = new();
    public const int MinPasswordLength = 10;

    public Task<bool> AnyUserAsync(CancellationToken cancellationToken) => db.Users.AnyAsync(cancellationToken);

    /// <summary>Creates a user; the first user of an installation is always an admin.</summary>
    public async Task<User> CreateAsync(string name, string email, string password, bool isAdmin, CancellationToken cancellationToken)
    {
        var user = NewUser(name, email, password);
        if (await db.Users.AnyAsync(u => u.Email == user.Email, cancellationToken))
        {
            throw new InvalidInputException("email", "A user with this email address already exists.");
        }

        user.IsAdmin = isAdmin || !await db.Users.AnyAsync(cancellationToken);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>
    /// Creates the installation's first admin, or returns null when it has a user already. Two requests at once cannot
    /// both succeed: the same transaction writes a settings row whose key is fixed, and the key is the table's primary
    /// key, so the database lets one of them through (SQLite's write lock; PostgreSQL's unique index) and the other fails.
    /// </summary>
    public async Task<User?> CreateFirstAdminAsync(string name, string email, string password, CancellationToken cancellationToken)
    {
        var user = NewUser(name, email, password);
        user.IsAdmin = true;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return null;
        }

        db.Settings.Add(new Settings.Setting { Key = FirstAdminKey, Value = user.Email });
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return null;
        }
        await db.Settings.Where(s => s.Key == SetupCode.Key).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return user;
    }

    private const string FirstAdminKey = "identity:first-admin";

    private User NewUser(string name, string email, string password)
    {
        var errors = new Dictionary<string, string[]>();
        var normalized = EmailAddress.Normalize(email);
        if (string.IsNullOrWhiteSpace(name))
        {
            errors["name"] = ["Please enter a name."];
        }

        if (normalized is null)
        {
            errors["email"] = ["Please enter a valid email address, like ana@example.com."];
        }

        if (PasswordProblem(password) is { } problem)
        {
            errors["password"] = [problem];
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var user = new User { Name = name.Trim(), Email = normalized!, PasswordHash = "", CreatedAt = clock.GetUtcNow() };
        user.PasswordHash = Hasher.HashPassword(user, password);
        return user;
    }

    private static string? PasswordProblem(string? password) =>
        password is null || password.Length < MinPasswordLength ? $"The password needs at least {MinPasswordLength} characters." : null;

    /// <summary>
    /// Changes the user's password after checking the current one, and ends every session they have (a new security
    /// stamp); returns the user with the new stamp so the caller can sign the person who changed it in again.
    /// </summary>
    public async Task<User> ChangePasswordAsync(long userId, string? current, string? next, string? confirm, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstAsync(u => u.Id == userId, cancellationToken);
        if (string.IsNullOrEmpty(current) || Hasher.VerifyHashedPassword(user, user.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            throw new InvalidInputException("currentPassword", "Your current password is not right.");
        }

        if (PasswordProblem(next) is { } problem)
        {
            throw new InvalidInputException("newPassword", problem);
        }

        if (next != confirm)
        {
            throw new InvalidInputException("confirmPassword", "The two new passwords do not match.");
        }

        user.PasswordHash = Hasher.HashPassword(user, next!);
        user.SecurityStamp = User.NewSecurityStamp();
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>The stamp a session cookie must carry to be valid; null when the user is gone.</summary>
    public Task<string?> SecurityStampAsync(long userId, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).FirstOrDefaultAsync(cancellationToken);

    /// <summary>What each request of a session needs of its user, in one look-up: the stamp (null when the user is gone) and the time zone.</summary>
    public async Task<(string? Stamp, string? TimeZone)> SessionAsync(long userId, CancellationToken cancellationToken)
    {
        var found = await db.Users.Where(u => u.Id == userId).Select(u => new { u.SecurityStamp, u.TimeZone }).FirstOrDefaultAsync(cancellationToken);
        return (found?.SecurityStamp, found?.TimeZone);
    }

    /// <summary>Sets the zone the user's pages show times in: an IANA id this machine knows (Europe/Paris, Etc/UTC).</summary>
    /// <param name="onlyIfUnset">For the browser's zone, detected at a first visit: a zone the user chose is not replaced.</param>
    /// <returns>The zone's id as stored.</returns>
    public async Task<string> SetTimeZoneAsync(long userId, string? zoneId, bool onlyIfUnset, CancellationToken cancellationToken)
    {
        var id = zoneId?.Trim();
        if (string.IsNullOrEmpty(id) || id.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out _))
        {
            throw new InvalidInputException("timeZone", string.IsNullOrEmpty(id) ? "Choose a time zone." : "This server does not know that time zone; choose one from the list.");
        }

        await db.Users.Where(u => u.Id == userId && (!onlyIfUnset || u.TimeZone == null))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZone, id), cancellationToken);
        return id;
    }

    /// <summary>Signs the user out everywhere: every session cookie issued so far stops working.</summary>
    public async Task EndSessionsAsync(long userId, CancellationToken cancellationToken)
    {
        var stamp = User.NewSecurityStamp();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, stamp), cancellationToken);
    }

    /// <summary>Returns the user when the password matches, else null (without saying which part was wrong).</summary>
    public async Task<User?> VerifyPasswordAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.Normalize(email);
        if (normalized is null || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user is null)
        {
            // Spend the same time as a real check so response times do not reveal which emails exist.
            Hasher.VerifyHashedPassword(new User { Email = "", Name = "", PasswordHash = "" }, DummyHash, password);
            return null;
        }
        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
            await db.SaveChangesAsync(cancellationToken);
        }
        return user;
    }

    public Task<List<User>> ListAdminsAsync(CancellationToken cancellationToken) => db.Users.Where(u => u.IsAdmin).OrderBy(u => u.Name).ToListAsync(cancellationToken);

    public Task<User?> FindAsync(long id, CancellationToken cancellationToken) => db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

    private static readonly string DummyHash = Hasher.HashPassword(new User { Email = "", Name = "", PasswordHash = "" }, "not-a-real-password");

    public static ActingUser ToActing(User u) => new(u.Id, u.Name, u.Email, u.IsAdmin);
}
