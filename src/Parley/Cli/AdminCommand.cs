using System.CommandLine;
using Parley.Core.Common;
using Parley.Core.Identity;

namespace Parley.Cli;

/// <summary><c>parley admin create</c>: the first admin account for a server set up without a browser.</summary>
public static class AdminCommand
{
    private const string Verb = "parley admin create";

    public static Command Create()
    {
        var installation = new InstallationOptions();
        var email = new Option<string>("--email") { Description = "The admin's email address, used to sign in", Required = true };
        var name = new Option<string>("--name") { Description = "The admin's name, as the team sees it", Required = true };
        var passwordFile = new Option<string?>("--password-file")
        {
            Description = "A file whose first line is the password (keeps it out of the shell history and 'ps'); without it, the password is asked for on the terminal",
        };
        var create = new Command("create", "Create the first admin account (refused once the installation has one)") { installation.DataDir, installation.Database, email, name, passwordFile };
        create.SetAction(async (parse, cancellationToken) =>
        {
            var password = await ReadPasswordAsync(parse.GetValue(passwordFile), cancellationToken);
            if (password is null)
            {
                return 1;
            }

            await using var app = await installation.OpenAsync(parse, cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            User? admin;
            try
            {
                admin = await scope.ServiceProvider.GetRequiredService<UserService>().CreateFirstAdminAsync(parse.GetValue(name)!, parse.GetValue(email)!, password, cancellationToken);
            }
            catch (InvalidInputException e)
            {
                await Console.Error.WriteLineAsync($"{Verb}: {e.Message}");
                return 1;
            }
            if (admin is null)
            {
                await Console.Error.WriteLineAsync($"{Verb}: This installation already has an admin, so nothing was created. Sign in to the web UI with that account.");
                return 1;
            }
            Console.WriteLine($"Created the admin account {admin.Email}. Sign in to the web UI with it.");
            return 0;
        });
        return new Command("admin", "Manage admin accounts") { create };
    }

    /// <summary>The first line of the file, or asked twice on the terminal; null (after saying why) when neither works.</summary>
    private static async Task<string?> ReadPasswordAsync(string? file, CancellationToken cancellationToken)
    {
        if (file is not null)
        {
            try
            {
                return (await File.ReadAllLinesAsync(file, cancellationToken)).FirstOrDefault() ?? "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"{Verb}: The password file {file} could not be read: {e.Message}");
                return null;
            }
        }
        if (Console.IsInputRedirected)
        {
            await Console.Error.WriteLineAsync($"{Verb}: Give the password with --password-file FILE (its first line), or run this in a terminal to be asked for it.");
            return null;
        }
        var first = Prompt("Password for the admin: ");
        if (first == Prompt("The same password again: "))
        {
            return first;
        }

        await Console.Error.WriteLineAsync($"{Verb}: The two passwords do not match; nothing was created.");
        return null;
    }

    /// <summary>Reads a line from the terminal without showing it.</summary>
    private static string Prompt(string question)
    {
        Console.Error.Write(question);
        var typed = new System.Text.StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                if (typed.Length > 0)
                {
                    typed.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return typed.ToString();
    }
}
