namespace Parley.Testing;

/// <summary>
/// Dovecot serving IMAP and POP3 (plain text, no TLS) on 127.0.0.1 and two free ports, from a temp directory:
/// users in a passwd-file, Maildir homes under the directory, owned by nobody. Use it as the mailbox Parley fetches
/// from (IMAP, IDLE, POP3). Stopped and deleted on dispose.
/// </summary>
public sealed class DovecotPeer : LoopbackPeer
{
    private readonly string _binary;
    private readonly string _config;

    private DovecotPeer(string binary, string directory, string config, int imapPort, int pop3Port, PeerProcess process)
        : base(process, directory)
    {
        _binary = binary;
        _config = config;
        ImapPort = imapPort;
        Pop3Port = pop3Port;
    }

    public int ImapPort { get; }
    public int Pop3Port { get; }

    /// <summary>Dovecot's log (logins, errors).</summary>
    public string Log => ReadShared(Path.Combine(WorkDirectory, "dovecot.log"));

    /// <param name="users">user name (e.g. "support@x.test") → password.</param>
    /// <param name="startTls">Offer STARTTLS with a fresh self-signed certificate (CN=localhost), made by openssl.</param>
    public static async Task<DovecotPeer> StartAsync(IReadOnlyDictionary<string, string> users, CancellationToken cancellationToken = default, bool startTls = false)
    {
        var binary = PeerBinaries.Find("dovecot", "dovecot-imapd");
        var directory = Directory.CreateTempSubdirectory("parley-dovecot-").FullName;
        var home = Path.Combine(directory, "home");
        Directory.CreateDirectory(home);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0x1ED); // 0755: nobody must reach the homes
            File.SetUnixFileMode(home, (UnixFileMode)0x1FF);
        }
        await File.WriteAllLinesAsync(Path.Combine(directory, "users"), users.Select(u => $"{u.Key}:{{PLAIN}}{u.Value}"), cancellationToken).ConfigureAwait(false);

        var ssl = "ssl = no";
        if (startTls)
        {
            var openssl = PeerBinaries.Find("openssl", "openssl");
            var made = await PeerProcess.RunAsync(openssl,
                ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                 "-keyout", Path.Combine(directory, "key.pem"), "-out", Path.Combine(directory, "cert.pem")],
                TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (made.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl could not make a test certificate: {made.StandardError}");
            }

            ssl = $"ssl = yes\nssl_cert = <{directory}/cert.pem\nssl_key = <{directory}/key.pem";
        }

        var config = Path.Combine(directory, "dovecot.conf");
        var (process, ports) = await StartListeningAsync("dovecot", directory, 2, async ports =>
        {
            await File.WriteAllTextAsync(config, $$"""
                protocols = imap pop3
                listen = 127.0.0.1
                base_dir = {{directory}}/run
                state_dir = {{directory}}/state
                log_path = {{directory}}/dovecot.log
                {{ssl}}
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                auth_failure_delay = 0
                login_trusted_networks = 127.0.0.0/8
                passdb {
                  driver = passwd-file
                  args = scheme=PLAIN username_format=%u {{directory}}/users
                }
                userdb {
                  driver = static
                  args = uid=nobody gid=nogroup home={{directory}}/home/%u
                }
                mail_location = maildir:~/Maildir
                pop3_uidl_format = %08Xu%08Xv
                {{LoginService("imap", ports[0])}}
                {{LoginService("pop3", ports[1])}}
                """, cancellationToken).ConfigureAwait(false);
            // -F: in the foreground, under PeerProcess's timeout, so it dies with the test host whatever happens.
            return PeerProcess.Start(binary, ["-F", "-c", config], TimeSpan.FromMinutes(10));
        }, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return new DovecotPeer(binary, directory, config, ports[0], ports[1], process);
    }

    /// <summary>The login service of <paramref name="protocol"/> on 127.0.0.1:<paramref name="port"/>, its implicit-TLS listener off.</summary>
    private static string LoginService(string protocol, int port) => $$"""
        service {{protocol}}-login {
          inet_listener {{protocol}} {
            address = 127.0.0.1
            port = {{port}}
          }
          inet_listener {{protocol}}s {
            port = 0
          }
        }
        """;

    /// <summary>The Maildir of <paramref name="user"/> (created on first delivery or login).</summary>
    public string Maildir(string user) => Path.Combine(WorkDirectory, "home", user, "Maildir");

    /// <summary>Drops a message into the user's Maildir/new, owned by nobody, as a local delivery agent would.</summary>
    public string Deliver(string user, string message)
    {
        var maildir = Maildir(user);
        foreach (var sub in new[] { "", "new", "cur", "tmp" })
        {
            var path = Path.Combine(maildir, sub);
            Directory.CreateDirectory(path);
        }
        ChownNobody(Path.Combine(WorkDirectory, "home", user));
        var name = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.P{Environment.ProcessId}Q{Guid.NewGuid():N}.parley";
        var file = Path.Combine(maildir, "new", name);
        File.WriteAllText(file, message.Replace("\r\n", "\n"));
        ChownNobody(Path.Combine(WorkDirectory, "home", user));
        return file;
    }

    /// <summary>Files in the user's Maildir new/ and cur/ (cur/ names carry the flags after ":2,", e.g. S for \Seen).</summary>
    public IReadOnlyList<string> MessageFiles(string user)
    {
        var maildir = Maildir(user);
        return new[] { "new", "cur" }.Select(d => Path.Combine(maildir, d)).Where(Directory.Exists)
            .SelectMany(Directory.GetFiles).ToList();
    }

    /// <summary>True when a file of <see cref="MessageFiles"/> is flagged \Seen: moved to cur/, with S among the flags after ":2,".</summary>
    public static bool IsSeen(string messageFile) =>
        Path.GetFileName(Path.GetDirectoryName(messageFile)) == "cur" && messageFile.Split(":2,").Last().Contains('S');

    private static void ChownNobody(string path)
    {
        if (!PeerBinaries.RunningAsRoot)
        {
            return;
        }

        using var chown = PeerProcess.Start(PeerBinaries.Find("chown", "coreutils"), ["-R", "nobody:nogroup", path], TimeSpan.FromSeconds(10));
        chown.WaitForExitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Stops dovecot the way it is meant to be stopped, then kills what is left of it.</summary>
    protected override async Task StopAsync()
    {
        try
        {
            await PeerProcess.RunAsync(_binary, ["-c", _config, "stop"], TimeSpan.FromSeconds(15), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Left to its own shutdown.
        }
        // dovecot stop returns before every child is gone; wait for its master pid file to disappear (bounded).
        try
        {
            await Process.WaitForExitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Killed below.
        }
        await Process.DisposeAsync().ConfigureAwait(false);
    }
}
