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
        var smtpName = new Option<string?>("--smtp-name")
        {
            Description = "This server's host name, used until Settings → Host name sets one: the SMTP greeting and Received headers, the self-signed certificate, and the EHLO to MX hosts and relays. Use the full name your MX and PTR records give (default: this machine's host name)",
        };
        var tlsCert = new Option<string?>("--smtp-tls-cert")
        {
            Description = "Certificate the SMTP listener offers with STARTTLS: a PEM file (its chain may follow) or a PKCS#12 file without a password. Default: a self-signed one, made on first run and kept in the data directory",
        };
        var tlsKey = new Option<string?>("--smtp-tls-key") { Description = "The PEM private key of --smtp-tls-cert, when it is in a file of its own" };
        var dns = new Option<string?>("--dns") { Description = "DNS server for MX look-ups and checks (HOST:PORT); default: the system's resolvers" };
        var directPort = new Option<int>("--direct-port") { Description = "Port that direct delivery connects to on MX hosts (25; change only for tests)", DefaultValueFactory = _ => 25 };
        var trustedProxy = new Option<string[]>("--trusted-proxy")
        {
            Description = "A reverse proxy (IP address, or network like 10.0.0.0/8) whose X-Forwarded-For and X-Forwarded-Proto Parley believes; repeat for more. Default: none",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var metricsListen = new Option<string?>("--metrics-listen")
        {
            HelpName = "HOST:PORT",
            Description = "Also serve /metrics, without a login, on this loopback or private address (HOST:PORT, e.g. 127.0.0.1:9464). Default: /metrics only on --urls, for an admin's token or login",
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "The console log: text (one line per entry, for people) or json (one JSON object per line, for a log collector)",
            DefaultValueFactory = _ => Operations.ConsoleLogging.Text,
        };
        logFormat.AcceptOnlyFromAmong(Operations.ConsoleLogging.Text, Operations.ConsoleLogging.Json);
        var shutdownTimeout = new Option<int>("--shutdown-timeout")
        {
            HelpName = "SECONDS",
            Description = "Seconds a stop (SIGTERM) may take: the listener stops accepting and answers new commands 421, messages being received and deliveries in flight finish; then what is left is cancelled",
            DefaultValueFactory = _ => 30,
        };
        shutdownTimeout.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 3600) { r.AddError("--shutdown-timeout must be between 1 and 3600 seconds."); } });
        var demo = new Option<bool>("--demo") { Description = "Load a demo data set (an admin, contacts, a template, a conversation) into an empty database" };
        var command = new Command("serve", "Run Parley: web UI, REST API, SMTP listener and delivery workers") { dataDir, database, urls, smtp, smtpName, tlsCert, tlsKey, dns, directPort, trustedProxy, metricsListen, logFormat, shutdownTimeout, demo };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await ParleyServer.RunAsync(new ServeOptions
                {
                    DataDir = parse.GetValue(dataDir)!,
                    Database = parse.GetValue(database),
                    Urls = parse.GetValue(urls)!,
                    SmtpListen = parse.GetValue(smtp)!,
                    SmtpName = parse.GetValue(smtpName),
                    SmtpTlsCertificate = parse.GetValue(tlsCert),
                    SmtpTlsKey = parse.GetValue(tlsKey),
                    Demo = parse.GetValue(demo),
                    Dns = parse.GetValue(dns),
                    DirectDeliveryPort = parse.GetValue(directPort),
                    TrustedProxies = parse.GetValue(trustedProxy) ?? [],
                    MetricsListen = parse.GetValue(metricsListen),
                    LogFormat = parse.GetValue(logFormat)!,
                    ShutdownTimeout = TimeSpan.FromSeconds(parse.GetValue(shutdownTimeout)),
                }, cancellationToken);
            }
            catch (Exception e) when (StartupConfigurationException.Find(e) is { } configuration)
            {
                await Console.Error.WriteLineAsync($"parley serve: {configuration.Message}");
                return StartupConfigurationException.ExitCode;
            }
        });
        return command;
    }
}
