using Parley.Core.Fetch;
using Parley.Testing;

namespace Parley.Mailboxes.Tests;

/// <summary>What goes wrong reaches the admin as a sentence naming the server and what to check.</summary>
public sealed class ProblemDescriptionTests : DovecotMailbox
{
    [Theory]
    [InlineData("imap")]
    [InlineData("pop3")]
    public async Task A_wrong_password_is_a_refusal_naming_the_user(string protocol)
    {
        var server = protocol == "imap" ? Imap("wrong") : Pop3("wrong");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => protocol == "imap"
            ? Connector.ConnectImapAsync(server, Timeout, default)
            : Connector.ConnectPop3Async(server, Timeout, default));
        Assert.Equal($"The server {server.Host}:{server.Port} refused the user name or password for \"{User}\"",
            Connector.Describe(server, error).Split(" (")[0]);
    }

    [Fact]
    public async Task A_closed_port_is_a_refused_connection()
    {
        var server = Imap() with { Port = FreePort.GetClosed() };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Connector.ConnectImapAsync(server, Timeout, default));
        Assert.Equal($"Could not connect to 127.0.0.1:{server.Port}: the connection was refused. Check the host, the port and that the server is running.",
            Connector.Describe(server, error));
    }

    [Fact]
    public async Task A_missing_folder_is_named()
    {
        using var session = await Connector.ConnectImapAsync(Imap(), Timeout, default);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => session.GetFolderAsync("Nowhere", default));
        Assert.Equal($"The folder \"Nowhere\" does not exist on {Dovecot.Host}:{Dovecot.ImapPort}.", Connector.Describe(Imap(), error));
    }

    [Fact]
    public void The_server_as_text_carries_no_password()
    {
        var server = Imap();
        Assert.DoesNotContain(Password, server.ToString());
        Assert.Equal($"{User} at {Dovecot.Host}:{Dovecot.ImapPort}", server.ToString());
    }
}
