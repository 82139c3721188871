using Parley.Core.Aliases;
using Parley.Core.Chatter;
using Parley.Core.Inbound;
using Parley.Core.Records;
using Parley.Smtp.Listener;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests;

/// <summary>
/// The alias domain's recipient policy, asked through the real listener at RCPT time: with the catchall "reject",
/// the addresses Parley hands out itself (signed reply and VERP bounce addresses) and postmaster must still be
/// accepted, and so must an address a special inbox has, while anything unknown or forged is refused before the message is sent.
/// </summary>
public sealed class RecipientPolicyTests : IAsyncLifetime
{
    private const string Domain = "mail.parley.test";

    private ParleyHost _host = null!;
    private SmtpListener _listener = null!;

    public async Task InitializeAsync()
    {
        _host = await ParleyHost.StartAsync(configure: b => b.Services.AddScoped<IInboundMailbox, TestInbox>());
        await _host.SetAliasDomainAsync(Domain);
        await using (var scope = _host.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<InboundSettingsService>().SetAsync(new InboundSettings(Catchall: CatchallPolicy.Reject), default);
            await scope.ServiceProvider.GetRequiredService<AliasService>().CreateAsync("sales", RecordDirectory.ContactType, AliasContactPolicy.Everyone, default);
        }

        _listener = await _host.StartSmtpListenerAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Reject_catchall_still_accepts_a_signed_reply_address()
    {
        var reply = await _host.App.Services.GetRequiredService<ReplyAddressProvider>().ForAsync(new RecordRef(RecordDirectory.ContactType, 42), Domain, default);
        Assert.StartsWith("reply+contact-42-", reply);

        await using var smtp = await SmtpConversation.OpenAsync(_listener.Port);

        Assert.Equal("250 2.1.5 Ok", await smtp.RcptAsync(reply));
    }

    [Fact]
    public async Task Reject_catchall_still_accepts_the_verp_bounce_address_parley_sends_from()
    {
        var bounces = await _host.App.Services.GetRequiredService<ReplyAddressProvider>().GetBounceAsync(default);
        var verp = bounces.For(1234, Domain);
        Assert.StartsWith("bounce+1234-", verp);

        await using var smtp = await SmtpConversation.OpenAsync(_listener.Port);

        Assert.Equal("250 2.1.5 Ok", await smtp.RcptAsync(verp));
    }

    [Theory]
    [InlineData("postmaster@" + Domain)]
    [InlineData("PostMaster@MAIL.Parley.Test")]
    [InlineData("postmaster")] // RFC 5321 §4.5.1: "RCPT TO:<Postmaster>" without a domain must be supported
    [InlineData("sales@" + Domain)]
    public async Task Reject_catchall_still_accepts_postmaster_and_aliases(string address)
    {
        await using var smtp = await SmtpConversation.OpenAsync(_listener.Port);

        Assert.Equal("250 2.1.5 Ok", await smtp.RcptAsync(address));
    }

    [Fact]
    public async Task Reject_catchall_still_accepts_the_address_of_a_special_inbox()
    {
        await using var smtp = await SmtpConversation.OpenAsync(_listener.Port);

        Assert.Equal("250 2.1.5 Ok", await smtp.RcptAsync($"test-7f3a@{Domain}"));
        Assert.Equal($"550 5.1.1 <best-7f3a@{Domain}>: no such address here (unknown alias)", await smtp.RcptAsync($"best-7f3a@{Domain}"));
    }

    [Fact]
    public async Task Reject_catchall_refuses_forged_reply_and_bounce_addresses()
    {
        var provider = _host.App.Services.GetRequiredService<ReplyAddressProvider>();
        var signed = await provider.ForAsync(new RecordRef(RecordDirectory.ContactType, 42), Domain, default);
        var tag = signed[signed.LastIndexOf('-')..signed.IndexOf('@')];
        var verp = (await provider.GetBounceAsync(default)).For(1234, Domain);

        await using var smtp = await SmtpConversation.OpenAsync(_listener.Port);

        foreach (var forged in new[]
        {
            $"reply+contact-42-000000000000@{Domain}", // unsigned: a made-up tag
            $"reply+contact-43{tag}@{Domain}", // a real tag moved to another record
            $"reply+contact-42@{Domain}", // no tag at all
            verp.Replace("bounce+1234-", "bounce+1235-", StringComparison.Ordinal),
        })
        {
            Assert.Equal($"550 5.1.1 <{forged}>: no such address here (unknown alias)", await smtp.RcptAsync(forged));
        }
    }

    [Fact]
    public async Task Reject_catchall_refuses_an_unknown_local_part_and_a_foreign_domain()
    {
        await using var smtp = await SmtpConversation.OpenAsync(_listener.Port);

        Assert.Equal($"550 5.1.1 <nobody@{Domain}>: no such address here (unknown alias)", await smtp.RcptAsync($"nobody@{Domain}"));
        Assert.Equal("550 5.7.1 <postmaster@elsewhere.test>: Relay access denied", await smtp.RcptAsync("postmaster@elsewhere.test"));
    }

    /// <summary>A special inbox with the test-* addresses, as the spam-test inbox has its own.</summary>
    private sealed class TestInbox : IInboundMailbox
    {
        public ValueTask<bool> HasAddressAsync(string localPart, CancellationToken cancellationToken) => ValueTask.FromResult(localPart.StartsWith("test-", StringComparison.Ordinal));

        public Task<InboxOutcome?> TryTakeAsync(InboundMessage inbound, MimeKit.MimeMessage message, IReadOnlyList<string> recipients, RouteContext context,
            CancellationToken cancellationToken) =>
            Task.FromResult<InboxOutcome?>(null);
    }
}
