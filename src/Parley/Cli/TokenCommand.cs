using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Hosting;

namespace Parley.Cli;

public static class TokenCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var database = CommonOptions.Database();
        var name = new Option<string?>("--name") { Description = "A label to recognise the token by" };
        var user = new Option<string?>("--user") { Description = "Email of the user the token acts as (default: the first admin)" };
        var create = new Command("create", "Create an API token and print it on stdout (it is shown only once)") { dataDir, database, name, user };
        create.SetAction(async (parse, ct) =>
        {
            var app = ParleyServer.Build(new ServeOptions { DataDir = parse.GetValue(dataDir)!, Database = parse.GetValue(database), RunWorkers = false });
            await StorageSetup.MigrateAsync(app.Services, ct);
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            var email = parse.GetValue(user);
            var owner = email is null
                ? await db.Users.Where(u => u.IsAdmin).OrderBy(u => u.Id).FirstOrDefaultAsync(ct)
                : await db.Users.FirstOrDefaultAsync(u => u.Email == email.Trim().ToLowerInvariant(), ct);
            if (owner is null)
            {
                await Console.Error.WriteLineAsync(email is null
                    ? "There is no admin yet. Open the web UI once to create one (or run 'parley serve --demo')."
                    : $"No user has the email {email}.");
                return 1;
            }
            var (_, secret) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(owner.Id, parse.GetValue(name), ct);
            Console.WriteLine(secret);
            await Console.Error.WriteLineAsync($"Token for {owner.Email}. Use it as 'Authorization: Bearer <token>'; it is not shown again.");
            return 0;
        });
        return new Command("token", "Manage API tokens") { create };
    }
}
