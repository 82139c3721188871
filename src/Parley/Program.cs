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
    SpfCommand.Create(),
    DkimCommand.Create(),
    MailgateCommand.Create(),
};
return await root.Parse(args).InvokeAsync();

/// <summary>Exposed so tests can find the entry assembly.</summary>
public partial class Program;
