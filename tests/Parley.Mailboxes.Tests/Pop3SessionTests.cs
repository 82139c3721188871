using System.Text;

namespace Parley.Mailboxes.Tests;

/// <summary>The POP3 side of the seam Core fetches through, against a real Dovecot.</summary>
public sealed class Pop3SessionTests : DovecotMailbox
{
    [Fact]
    public async Task Lists_uidls_downloads_and_deletes_only_at_quit()
    {
        Deliver("p1@customer.test");
        Deliver("p2@customer.test");
        using var session = await Connector.ConnectPop3Async(Pop3(), Timeout, default);
        Assert.True(session.HasUidl);
        Assert.Equal(2, await session.CountAsync(default));
        var uids = await session.UidsAsync(default);
        Assert.Equal(2, uids.Distinct().Count());

        var first = Encoding.ASCII.GetString(await session.DownloadAsync(0, default));
        Assert.Contains("Message-ID: <p", first);
        await session.DeleteAsync(0, default);
        Assert.Equal(2, Dovecot.MessageFiles(User).Count);

        await session.DisconnectAsync(default);
        var left = await File.ReadAllTextAsync(Assert.Single(Dovecot.MessageFiles(User)));
        Assert.DoesNotContain(first[first.IndexOf("Message-ID", StringComparison.Ordinal)..].Split('\n')[0], left);
    }

    [Fact]
    public async Task The_uidls_are_the_same_on_the_next_visit()
    {
        Deliver("again@customer.test");
        IReadOnlyList<string> before;
        using (var first = await Connector.ConnectPop3Async(Pop3(), Timeout, default))
        {
            before = await first.UidsAsync(default);
            await first.DisconnectAsync(default);
        }
        using var second = await Connector.ConnectPop3Async(Pop3(), Timeout, default);
        Assert.Equal(before, await second.UidsAsync(default));
    }
}
