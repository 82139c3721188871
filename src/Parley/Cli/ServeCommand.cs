using System.CommandLine;
using Parley.Hosting;

namespace Parley.Cli;

public static class ServeCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var database = CommonOptions.Database();
        var urls = new Option<string>("--urls") { Description = "Where the web UI and API listen", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var smtp = new Option<string>("--smtp-listen") { Description = "Where the SMTP listener accepts replies (HOST:PORT)", DefaultValueFactory = _ => "127.0.0.1:2525" };
        var demo = new Option<bool>("--demo") { Description = "Load a demo data set (an admin, contacts, a template, a conversation) into an empty database" };
        var command = new Command("serve", "Run Parley: web UI, REST API, SMTP listener and delivery workers") { dataDir, database, urls, smtp, demo };
        command.SetAction(async (parse, ct) => await ParleyServer.RunAsync(new ServeOptions
        {
            DataDir = parse.GetValue(dataDir)!,
            Database = parse.GetValue(database),
            Urls = parse.GetValue(urls)!,
            SmtpListen = parse.GetValue(smtp)!,
            Demo = parse.GetValue(demo),
        }, ct));
        return command;
    }
}
