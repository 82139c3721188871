using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Fetch;
using Parley.Core.Inbound;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Fetch;

/// <summary>
/// Mailbox fetch against a real Dovecot (IMAP and POP3 on loopback): stored first, then marked seen / deleted;
/// never fetched twice (two polls, a restart); a wrong password is a readable error; a message that cannot be
/// stored is left unseen on the server and, after a bounded number of tries, recorded as failed.
/// </summary>
public sealed class MailboxFetchTests() : DovecotFetchTest(startTls: false)
{
    private static string Mail(string messageId, string subject = "Hello") =>
        $"From: Ana <ana@customer.test>\nTo: {User}\nSubject: {subject}\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <{messageId}>\nMIME-Version: 1.0\nContent-Type: text/plain\n\nHi there.\n";

    private Task<FetchAccount> AccountAsync(string protocol, string? afterFetch = null, string password = Password) =>
        Env.With<FetchAccountService, FetchAccount>(s => s.CreateAsync(new FetchAccountInput(
            "Support", protocol, Dovecot.Host, protocol == "imap" ? Dovecot.ImapPort : Dovecot.Pop3Port, "none", User, password, AfterFetch: afterFetch), default));

    private Task<List<InboundMessage>> InboundAsync() => Env.Db(db => db.Inbound.AsNoTracking().OrderBy(i => i.Id).ToListAsync());

    private Task<FetchAccount> ReloadAsync(long id) => Env.Db(db => db.FetchAccounts.AsNoTracking().SingleAsync(a => a.Id == id));

    [Fact]
    public async Task Imap_stores_then_marks_seen_and_never_fetches_twice_across_polls_and_a_restart()
    {
        Dovecot.Deliver(User, Mail("one@customer.test"));
        Dovecot.Deliver(User, Mail("two@customer.test"));
        var account = await AccountAsync("imap");

        var first = await Env.Services.GetRequiredService<FetchCoordinator>().FetchNowAsync(account.Id, default);
        Assert.True(first.Ok, first.Error);
        Assert.Equal(2, first.Stored);
        var rows = await InboundAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("imap", r.Source));
        Assert.All(rows, r => Assert.Equal(account.Id, r.FetchAccountId));
        Assert.Equal(2, rows.Select(r => r.RemoteId).Distinct().Count());
        Assert.Contains("support@mail.test", rows[0].Recipients);
        var files = Dovecot.MessageFiles(User);
        Assert.Equal(2, files.Count);
        Assert.All(files, f => Assert.True(DovecotPeer.IsSeen(f), $"{f} is not \\Seen"));

        var second = await Env.Services.GetRequiredService<FetchCoordinator>().FetchNowAsync(account.Id, default);
        Assert.Equal(0, second.Stored);

        // A restart: fresh services (new coordinator, new commit queue) on the same database.
        var restarted = Env.Build(Env.Transport, "node-b", []);
        Dovecot.Deliver(User, Mail("three@customer.test"));
        var third = await restarted.GetRequiredService<FetchCoordinator>().FetchNowAsync(account.Id, default);
        Assert.True(third.Ok, third.Error);
        Assert.Equal(1, third.Stored);
        Assert.Equal(3, (await InboundAsync()).Count);

        var stored = await ReloadAsync(account.Id);
        Assert.Null(stored.LastError);
        Assert.Equal(1, stored.LastFetched);
        Assert.NotNull(stored.UidValidity);
        Assert.Equal(3, stored.LastUid);
    }

    [Fact]
    public async Task Imap_even_if_someone_marks_the_message_unseen_again_it_is_not_fetched_twice()
    {
        Dovecot.Deliver(User, Mail("again@customer.test"));
        var account = await AccountAsync("imap");
        Assert.Equal(1, (await Env.Services.GetRequiredService<FetchCoordinator>().FetchNowAsync(account.Id, default)).Stored);
        // Forget the UID high-water mark, as after a UIDVALIDITY change, and make the message unseen again.
        await Env.Db(db => db.FetchAccounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.LastUid, (long?)null)));
        var file = Assert.Single(Dovecot.MessageFiles(User));
        File.Move(file, file[..file.LastIndexOf(":2,", StringComparison.Ordinal)] + ":2,");

        var again = await Env.Services.GetRequiredService<FetchCoordinator>().FetchNowAsync(account.Id, default);
        Assert.True(again.Ok, again.Error);
        Assert.Equal(0, again.Stored);
        Assert.Single(await InboundAsync());
        Assert.True(DovecotPeer.IsSeen(Assert.Single(Dovecot.MessageFiles(User))));
    }

    [Fact]
    public async Task Imap_idle_fetches_a_new_message_without_waiting_for_the_interval()
    {
        var account = await AccountAsync("imap");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var session = Env.Services.GetRequiredService<FetchCoordinator>().RunImapSessionAsync(account.Id, TimeSpan.FromMinutes(5), stop.Token);
        // The first poll ran when LastRunAt is set; the session is then idling.
        await Eventually.UntilAsync(async () => (await ReloadAsync(account.Id)).LastRunAt is not null, TimeSpan.FromSeconds(5),
            "the session's first poll ran", every: TimeSpan.FromMilliseconds(50));
        Dovecot.Deliver(User, Mail("idle@customer.test"));
        await Eventually.UntilAsync(async () => (await InboundAsync()).Count > 0, TimeSpan.FromSeconds(10),
            "IDLE fetches the new message", every: TimeSpan.FromMilliseconds(50));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session);
        Assert.Single(await InboundAsync());
    }

    [Fact]
    public async Task Pop3_with_delete_removes_the_message_only_after_storing_it()
    {
        Dovecot.Deliver(User, Mail("p1@customer.test"));
        Dovecot.Deliver(User, Mail("p2@customer.test"));
        var account = await AccountAsync("pop3", "delete");
        var coordinator = Env.Services.GetRequiredService<FetchCoordinator>();

        var first = await coordinator.FetchNowAsync(account.Id, default);
        Assert.True(first.Ok, first.Error);
        Assert.Equal(2, first.Stored);
        Assert.Empty(Dovecot.MessageFiles(User));
        var rows = await InboundAsync();
        Assert.All(rows, r => Assert.Equal("pop3", r.Source));

        var second = await coordinator.FetchNowAsync(account.Id, default);
        Assert.Equal(0, second.Stored);
        Assert.Equal(2, (await InboundAsync()).Count);
    }

    [Fact]
    public async Task Pop3_keep_leaves_the_message_and_remembers_its_uidl()
    {
        Dovecot.Deliver(User, Mail("k1@customer.test"));
        var account = await AccountAsync("pop3", "keep");
        var coordinator = Env.Services.GetRequiredService<FetchCoordinator>();
        Assert.Equal(1, (await coordinator.FetchNowAsync(account.Id, default)).Stored);
        Assert.Equal(0, (await coordinator.FetchNowAsync(account.Id, default)).Stored);
        Assert.Single(Dovecot.MessageFiles(User));
        Assert.Single(await InboundAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_a_readable_error_on_the_account()
    {
        Dovecot.Deliver(User, Mail("x@customer.test"));
        var coordinator = Env.Services.GetRequiredService<FetchCoordinator>();
        // "Test" first with the right password (Dovecot slows down logins from an address after a failure), then change it.
        var account = await AccountAsync("imap");
        var good = await coordinator.TestAsync(account, default);
        Assert.True(good.Ok, good.Error);
        Assert.Equal(1, good.Messages);
        account = await Env.With<FetchAccountService, FetchAccount>(s => s.UpdateAsync(account.Id, new FetchAccountInput(
            "Support", "imap", Dovecot.Host, Dovecot.ImapPort, "none", User, "wrong"), default));

        var result = await coordinator.FetchNowAsync(account.Id, default);
        Assert.False(result.Ok);
        var stored = await ReloadAsync(account.Id);
        Assert.Contains("refused the user name or password", stored.LastError);
        Assert.Equal(result.Error, stored.LastError);
        Assert.Equal(1, stored.ConsecutiveFailures);
        Assert.NotNull(stored.LastRunAt);
        Assert.Empty(await InboundAsync());
        Assert.False(DovecotPeer.IsSeen(Assert.Single(Dovecot.MessageFiles(User))));
    }

    [Fact]
    public async Task A_connection_refused_is_a_readable_error()
    {
        var account = await Env.With<FetchAccountService, FetchAccount>(s => s.CreateAsync(new FetchAccountInput(
            "Nowhere", "pop3", "127.0.0.1", FreePort.GetClosed(), "none", User, Password), default));
        var result = await Env.Services.GetRequiredService<FetchCoordinator>().FetchNowAsync(account.Id, default);
        Assert.False(result.Ok);
        Assert.Contains("connection was refused", (await ReloadAsync(account.Id)).LastError);
    }

    [Fact]
    public async Task A_message_that_cannot_be_stored_is_not_marked_seen_and_is_given_up_after_three_tries()
    {
        Dovecot.Deliver(User, Mail("broken@customer.test", "Cannot store me"));
        var account = await AccountAsync("imap");
        // The database itself refuses the row (as a full disk or a broken file would).
        await Env.RefuseInsertsAsync("Inbound", "Simulated failure: the row was refused");
        var coordinator = Env.Services.GetRequiredService<FetchCoordinator>();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var result = await coordinator.FetchNowAsync(account.Id, default);
            Assert.True(result.Ok, result.Error);
            Assert.Equal(1, result.Failed);
            Assert.False(DovecotPeer.IsSeen(Assert.Single(Dovecot.MessageFiles(User))), "a message that was not stored must not be marked seen");
        }
        var failure = await Env.Db(db => db.FetchFailures.AsNoTracking().SingleAsync());
        Assert.True(failure.GaveUp);
        Assert.Equal(3, failure.Attempts);
        Assert.Equal("Cannot store me", failure.Subject);
        Assert.Contains("Simulated failure", failure.Error);
        Assert.Contains("could not be stored", (await ReloadAsync(account.Id)).LastError);

        // Given up: not downloaded or stored again (no fourth attempt), still untouched on the server.
        var fourth = await coordinator.FetchNowAsync(account.Id, default);
        Assert.Equal(0, fourth.Failed);
        Assert.Equal(3, (await Env.Db(db => db.FetchFailures.AsNoTracking().SingleAsync())).Attempts);
        Assert.False(DovecotPeer.IsSeen(Assert.Single(Dovecot.MessageFiles(User))));
        Assert.Empty(await InboundAsync());

        // The cause is fixed and the admin asks for another try: stored, then marked seen, and the failure is gone.
        await Env.Db(db => db.Database.ExecuteSqlRawAsync(Env.Database.Provider == "postgres"
            ? "DROP TRIGGER refuse_inbound ON \"Inbound\"" : "DROP TRIGGER refuse_inbound"));
        var retried = await coordinator.RetryAsync(account.Id, failure.Id, default);
        Assert.Equal((1, 0), (retried.Stored, retried.Failed));
        Assert.Single(await InboundAsync());
        Assert.True(DovecotPeer.IsSeen(Assert.Single(Dovecot.MessageFiles(User))));
        Assert.Equal(0, await Env.Db(db => db.FetchFailures.CountAsync()));
    }
}

/// <summary>STARTTLS against Dovecot with a self-signed certificate: refused with a clear reason while certificate checking is on (the default), fetched once it is turned off.</summary>
public sealed class MailboxFetchTlsTests() : DovecotFetchTest(startTls: true)
{
    [Theory]
    [InlineData("imap")]
    [InlineData("pop3")]
    public async Task A_self_signed_certificate_is_refused_by_default_and_accepted_when_checking_is_off(string protocol)
    {
        Dovecot.Deliver(User, "From: ana@customer.test\nTo: support@mail.test\nSubject: Secure\nMessage-ID: <tls@customer.test>\n\nOver TLS.\n");
        var port = protocol == "imap" ? Dovecot.ImapPort : Dovecot.Pop3Port;
        var account = await Env.With<FetchAccountService, FetchAccount>(s => s.CreateAsync(new FetchAccountInput(
            "Secure", protocol, Dovecot.Host, port, "starttls", User, Password), default));
        Assert.True(account.ValidateCertificate);
        var coordinator = Env.Services.GetRequiredService<FetchCoordinator>();

        var refused = await coordinator.FetchNowAsync(account.Id, default);
        Assert.False(refused.Ok);
        Assert.Contains("secure connection", refused.Error);
        Assert.Contains("certificate", refused.Error);

        await Env.With<FetchAccountService, FetchAccount>(s => s.UpdateAsync(account.Id, new FetchAccountInput(
            "Secure", protocol, Dovecot.Host, port, "starttls", User, null, AfterFetch: protocol == "pop3" ? "delete" : null, ValidateCertificate: false), default));
        var fetched = await coordinator.FetchNowAsync(account.Id, default);
        Assert.True(fetched.Ok, fetched.Error);
        Assert.Equal(1, fetched.Stored);
    }
}
