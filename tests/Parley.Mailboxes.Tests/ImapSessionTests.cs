using System.Text;
using Parley.Testing;

namespace Parley.Mailboxes.Tests;

/// <summary>The IMAP side of the seam Core fetches through, against a real Dovecot: what each call does on the server.</summary>
public sealed class ImapSessionTests : DovecotMailbox
{
    [Fact]
    public async Task A_download_leaves_the_message_unseen_until_it_is_marked_seen()
    {
        Deliver("one@customer.test");
        var (session, inbox) = await OpenInboxAsync();
        using (session)
        {
            var uid = Assert.Single(await inbox.SearchUnseenAsync(default));
            var bytes = await inbox.DownloadAsync(uid, default);
            Assert.Contains("Message-ID: <one@customer.test>", Encoding.ASCII.GetString(bytes));
            Assert.False(DovecotPeer.IsSeen(Assert.Single(Dovecot.MessageFiles(User))), "BODY.PEEK[] must not set \\Seen");

            await inbox.MarkSeenAsync(uid, default);
            Assert.Empty(await inbox.SearchUnseenAsync(default));
            await session.DisconnectAsync(default);
        }
        Assert.True(DovecotPeer.IsSeen(Assert.Single(Dovecot.MessageFiles(User))));
    }

    [Fact]
    public async Task A_search_from_a_uid_answers_that_uid_and_later_ones_or_else_the_highest()
    {
        Deliver("a@customer.test");
        Deliver("b@customer.test");
        Deliver("c@customer.test");
        var (session, inbox) = await OpenInboxAsync();
        using (session)
        {
            Assert.Equal(3, inbox.Count);
            Assert.NotEqual(0u, inbox.UidValidity);
            var all = (await inbox.SearchUnseenAsync(default)).Order().ToList();
            Assert.Equal(3, all.Count);

            Assert.Equal(all[1..], (await inbox.SearchFromUidAsync(all[1], default)).Order());
            // "n:*" with n above every UID still names the highest message: Core filters it out (MailboxFetcher).
            Assert.Equal([all[2]], await inbox.SearchFromUidAsync(all[2] + 10, default));
        }
    }

    [Fact]
    public async Task Expunge_removes_the_messages_marked_deleted_and_no_other()
    {
        Deliver("keep@customer.test");
        Deliver("drop@customer.test");
        var (session, inbox) = await OpenInboxAsync();
        using (session)
        {
            // Dovecot numbers new messages in the order it finds the files, not the order they were written.
            uint drop = 0, keep = 0;
            foreach (var uid in await inbox.SearchUnseenAsync(default))
            {
                if (Encoding.ASCII.GetString(await inbox.DownloadAsync(uid, default)).Contains("drop@customer.test"))
                {
                    drop = uid;
                }
                else
                {
                    keep = uid;
                }
            }
            await inbox.MarkDeletedAsync(drop, default);
            Assert.Equal(2, Dovecot.MessageFiles(User).Count);

            await inbox.ExpungeAsync([drop], default);
            Assert.Equal([keep], await inbox.SearchFromUidAsync(1, default));
            await session.DisconnectAsync(default);
        }
        var left = Assert.Single(Dovecot.MessageFiles(User));
        Assert.Contains("keep@customer.test", await File.ReadAllTextAsync(left));
    }

    [Fact]
    public async Task Move_puts_the_message_in_the_other_folder()
    {
        Deliver("moved@customer.test");
        await CreateFolderAsync("Archive");
        var (session, inbox) = await OpenInboxAsync();
        using (session)
        {
            var archive = await session.GetFolderAsync("Archive", default);
            var uid = Assert.Single(await inbox.SearchUnseenAsync(default));
            await inbox.MoveToAsync(uid, archive, default);
            Assert.Empty(await inbox.SearchUnseenAsync(default));

            await archive.OpenAsync(readWrite: false, default);
            Assert.Equal(1, archive.Count);
            var moved = Assert.Single(await archive.SearchUnseenAsync(default));
            Assert.Contains("moved@customer.test", Encoding.ASCII.GetString(await archive.DownloadAsync(moved, default)));
        }
    }

    [Fact]
    public async Task Idle_returns_as_soon_as_a_message_arrives()
    {
        var (session, inbox) = await OpenInboxAsync();
        using (session)
        {
            Assert.True(session.CanIdle);
            Assert.Equal(0, inbox.Count);
            var idle = inbox.IdleAsync(TimeSpan.FromMinutes(5), default);
            Deliver("idle@customer.test");
            // Far below the five minutes asked for: only the new message can have ended it.
            await idle.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, inbox.Count);
        }
    }

    [Fact]
    public async Task Idle_returns_after_the_time_asked_for_when_nothing_arrives()
    {
        var (session, inbox) = await OpenInboxAsync();
        using (session)
        {
            var started = DateTime.UtcNow;
            await inbox.IdleAsync(TimeSpan.FromSeconds(1), default).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9));
            Assert.Equal(0, inbox.Count);
            // The session is still usable after IDLE ended.
            Assert.Empty(await inbox.SearchUnseenAsync(default));
        }
    }

    /// <summary>A folder made with MailKit itself: the seam has no CREATE, as Parley never makes folders.</summary>
    private async Task CreateFolderAsync(string name)
    {
        using var client = new MailKit.Net.Imap.ImapClient();
        await client.ConnectAsync(Dovecot.Host, Dovecot.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync(name, isMessageFolder: true);
        await client.DisconnectAsync(quit: true);
    }
}
