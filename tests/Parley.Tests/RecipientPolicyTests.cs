using System.Net.Sockets;
using System.Text;
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
/// accepted, while anything unknown or forged is refused before the message is sent.
/// </summary>
public sealed class RecipientPolicyTests : IAsyncLifetime
{
    private const string Domain = "mail.parley.test";

    private ParleyHost _host = null!;
    private SmtpListener _listener = null!;

    public async Task InitializeAsync()
    {
        _host = await ParleyHost.StartAsync();
        await _host.SetAliasDomainAsync(Domain);
        await using (var scope = _host.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<InboundSettingsService>().SetAsync(new InboundSettings(Catchall: CatchallPolicy.Reject), default);
            await scope.ServiceProvider.GetRequiredService<AliasService>().CreateAsync("sales", RecordDirectory.ContactType, AliasContactPolicy.Everyone, default);
        }

        // Workers are off in the test host, so the listener is started here (on a free loopback port).
        _listener = _host.App.Services.GetRequiredService<SmtpListener>();
        await _listener.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _listener.StopAsync(default);
        await _host.DisposeAsync();
    }

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

    /// <summary>One SMTP session up to RCPT over a plain socket, so each reply is seen exactly as a client sees it.</summary>
    private sealed class SmtpConversation : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly StreamReader _reader;
        private readonly Stream _stream;

        private SmtpConversation(TcpClient tcp)
        {
            _tcp = tcp;
            _stream = tcp.GetStream();
            _reader = new StreamReader(_stream, Encoding.ASCII);
        }

        public static async Task<SmtpConversation> OpenAsync(int port)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
            var smtp = new SmtpConversation(tcp);
            Assert.StartsWith("220 ", await smtp.ReadReplyAsync());
            Assert.StartsWith("250 ", await smtp.CommandAsync("EHLO client.test"));
            Assert.Equal("250 2.1.0 Ok", await smtp.CommandAsync("MAIL FROM:<ana@customer.test>"));
            return smtp;
        }

        public Task<string> RcptAsync(string address) => CommandAsync($"RCPT TO:<{address}>");

        public async ValueTask DisposeAsync()
        {
            await CommandAsync("QUIT");
            _tcp.Dispose();
        }

        private async Task<string> CommandAsync(string command)
        {
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            return await ReadReplyAsync();
        }

        /// <summary>The last line of a reply (the one without "-" after the code).</summary>
        private async Task<string> ReadReplyAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new IOException("The server closed the connection.");
                if (line.Length < 4 || line[3] != '-') return line;
            }
        }
    }
}
