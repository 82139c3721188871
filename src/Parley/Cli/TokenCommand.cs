using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Identity;

namespace Parley.Cli;

public static class TokenCommand
{
    public static Command Create()
    {
        var installation = new InstallationOptions();
        var name = new Option<string?>("--name") { Description = "A label to recognise the token by" };
        var user = new Option<string?>("--user") { Description = "Email of the user the token acts as (default: the first admin)" };
        var tokenScope = new Option<ApiTokenScope>("--scope")
        {
            Description = "full (acts as its user), read (GET only), mailgate (only hands in mail, for 'parley mailgate'; admins only) or metrics (only reads /metrics, for Prometheus; admins only)",
            DefaultValueFactory = _ => ApiTokenScope.Full,
        };
        var expiresIn = new Option<string?>("--expires-in") { Description = "How long the token works, e.g. 90d or 12h (default: it does not expire)" };
        var create = new Command("create", "Create an API token and print it on stdout (it is shown only once)") { installation.DataDir, installation.Database, name, user, tokenScope, expiresIn };
        create.SetAction(async (parse, cancellationToken) =>
        {
            var lifetime = parse.GetValue(expiresIn) is { } text ? Lifetime(text) : TimeSpan.Zero;
            if (lifetime is null)
            {
                await Console.Error.WriteLineAsync($"--expires-in takes a number of days or hours, like 90d or 12h (not \"{parse.GetValue(expiresIn)}\").");
                return 2;
            }
            var app = await installation.OpenAsync(parse, cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            var email = parse.GetValue(user);
            var owner = email is null
                ? await db.Users.Where(u => u.IsAdmin).OrderBy(u => u.Id).FirstOrDefaultAsync(cancellationToken)
                : await db.Users.FirstOrDefaultAsync(u => u.Email == email.Trim().ToLowerInvariant(), cancellationToken);
            if (owner is null)
            {
                await Console.Error.WriteLineAsync(email is null
                    ? "There is no admin yet. Open the web UI once to create one (or run 'parley serve --demo')."
                    : $"No user has the email {email}.");
                return 1;
            }
            var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            DateTimeOffset? expiresAt = lifetime == TimeSpan.Zero ? null : clock.GetUtcNow() + lifetime;
            string secret;
            try
            {
                (_, secret) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(owner.Id, parse.GetValue(name), parse.GetValue(tokenScope), expiresAt, cancellationToken);
            }
            catch (InvalidInputException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 1;
            }
            Console.WriteLine(secret);
            var until = expiresAt is { } at ? $", until {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "";
            await Console.Error.WriteLineAsync($"A {parse.GetValue(tokenScope).ToString().ToLowerInvariant()} token for {owner.Email}{until}. Use it as 'Authorization: Bearer <token>'; it is not shown again.");
            return 0;
        });
        return new Command("token", "Manage API tokens") { create };
    }

    /// <summary>"90d" or "12h" as a positive time span; null for anything else.</summary>
    private static TimeSpan? Lifetime(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed.Length < 2 || !int.TryParse(trimmed[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        return trimmed[^1] switch { 'd' => TimeSpan.FromDays(n), 'h' => TimeSpan.FromHours(n), _ => null };
    }
}
