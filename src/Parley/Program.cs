using System.CommandLine;
using Parley.Cli;

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
