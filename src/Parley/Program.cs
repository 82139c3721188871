using System.CommandLine;
using Parley.Cli;
using Parley.Hosting;

// Every verb writes into the data directory (serve, migrate, token create…): what it creates is its user's only.
DataDirectory.RestrictNewFiles();

var root = new RootCommand("Parley: talk to your customers by email, and make sure the mail arrives.")
{
    ServeCommand.Create(),
    MigrateCommand.Create(),
    AdminCommand.Create(),
    TokenCommand.Create(),
    DoctorCommand.Create(),
    ScoreCommand.Create(),
    SpfCommand.Create(),
    DkimCommand.Create(),
    MailgateCommand.Create(),
    BackupCommand.Create(),
    BackupCommand.CreateRestore(),
    ReportsCommand.Create(),
};
var parsed = root.Parse(args);
// serve stops by itself on SIGTERM and SIGINT (the host drains within --shutdown-timeout); System.CommandLine's own
// handling would end the process 2 seconds after the signal, in the middle of that.
var invocation = parsed.CommandResult.Command.Name == "serve" ? new InvocationConfiguration { ProcessTerminationTimeout = null } : new InvocationConfiguration();
return await parsed.InvokeAsync(invocation);

/// <summary>Exposed so tests can find the entry assembly.</summary>
public partial class Program;
