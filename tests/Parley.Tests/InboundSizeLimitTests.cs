using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Smtp.Listener;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests;

/// <summary>
/// One inbound size limit (<c>Inbound:MaxMessageSize</c>), read by both ways in that can refuse: the SMTP listener
/// (through the real listener: 552 5.3.4) and mailgate's endpoint (413). A message of exactly the limit is stored, one
/// byte more is not.
/// </summary>
public sealed class InboundSizeLimitTests : IAsyncLifetime
{
    private const int Limit = 64 * 1024;

    private ParleyHost _host = null!;
    private SmtpListener _listener = null!;

    public async Task InitializeAsync()
    {
        _host = await ParleyHost.StartAsync(configure: b => b.Configuration["Inbound:MaxMessageSize"] = Limit.ToString(CultureInfo.InvariantCulture));
        await _host.SetAliasDomainAsync("mail.parley.test");
        _listener = await _host.StartSmtpListenerAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_listener_announces_the_limit_stores_a_message_of_that_size_and_refuses_one_byte_more_with_552()
    {
        var atLimit = Message(Limit, "at the limit");
        await using var smtp = await SmtpConversation.OpenAsync(_listener.Port);
        Assert.Contains($"250-SIZE {Limit}", smtp.Ehlo);

        Assert.Equal("250 2.1.5 Ok", await smtp.RcptAsync("support@mail.parley.test"));
        Assert.StartsWith("250 2.0.0 Ok: queued as P", await smtp.DataAsync(atLimit));
        Assert.Equal("250 2.1.0 Ok", await smtp.CommandAsync("MAIL FROM:<ana@customer.test>"));
        Assert.Equal("250 2.1.5 Ok", await smtp.RcptAsync("support@mail.parley.test"));
        Assert.Equal("552 5.3.4 Error: message file too big", await smtp.DataAsync(Message(Limit + 1, "one byte over")));

        var stored = await StoredAsync();
        var only = Assert.Single(stored);
        Assert.True(only.AsSpan().EndsWith(atLimit), "the stored message is the one at the limit (after the listener's Received header)");
    }

    [Fact]
    public async Task Mailgate_stores_a_message_of_that_size_and_refuses_one_byte_more_with_413_saying_the_limit()
    {
        var admin = await _host.CreateUserAsync();
        using var api = _host.Client(await _host.CreateTokenAsync(admin.Id, ApiTokenScope.Mailgate));
        var atLimit = Message(Limit, "at the limit");

        var accepted = await api.PostAsync("/api/v1/inbound/raw", Body(new ByteArrayContent(atLimit)));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        // With its length announced, and without (chunked): the announced length is refused before reading, the other when read.
        var over = Message(Limit + 1, "one byte over");
        foreach (var content in new HttpContent[] { new ByteArrayContent(over), new StreamContent(new UnknownLengthStream(over)) })
        {
            var refused = await api.PostAsync("/api/v1/inbound/raw", Body(content));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("Message too big", problem.RootElement.GetProperty("title").GetString());
            Assert.Equal("Messages up to 64 KB are accepted.", problem.RootElement.GetProperty("detail").GetString());
        }

        Assert.Equal(atLimit, Assert.Single(await StoredAsync()));
    }

    [Fact]
    public async Task Without_configuration_the_listener_announces_50_MB_as_the_README_says()
    {
        await using var host = await ParleyHost.StartAsync();
        var listener = await host.StartSmtpListenerAsync();

        await using var smtp = await SmtpConversation.OpenAsync(listener.Port);
        Assert.Contains("250-SIZE 52428800", smtp.Ehlo);
    }

    [Fact]
    public async Task A_limit_the_database_cannot_store_stops_the_start_and_says_what_to_give()
    {
        var dataDir = ParleyHost.NewDataDir();
        try
        {
            var e = await Assert.ThrowsAsync<OptionsValidationException>(() =>
                ParleyHost.StartAsync(dataDir, configure: b => b.Configuration["Inbound:MaxMessageSize"] = "2000000000"));
            Assert.Contains("Inbound:MaxMessageSize must be a number of bytes from 1 to 1000000000", e.Message);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private async Task<List<byte[]>> StoredAsync()
    {
        await using var scope = _host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        return await db.Inbound.Select(i => i.RawMime!.Content).ToListAsync();
    }

    private static HttpContent Body(HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        return content;
    }

    /// <summary>A plain message of exactly <paramref name="size"/> bytes, lines of at most 78 ending in CRLF, none starting with a dot.</summary>
    private static byte[] Message(int size, string subject)
    {
        var text = new StringBuilder($"From: ana@customer.test\r\nTo: support@mail.parley.test\r\nSubject: {subject}\r\n\r\n");
        while (text.Length < size)
        {
            var line = Math.Min(78, size - text.Length);
            if (size - text.Length - line == 1)
            {
                line--; // never leave one byte: the last line needs room for its CRLF
            }

            text.Append('a', line - 2).Append("\r\n");
        }
        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        Assert.Equal(size, bytes.Length);
        return bytes;
    }

    /// <summary>A body whose length is not known in advance, so the client sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] content) : MemoryStream(content, writable: false)
    {
        public override bool CanSeek => false;
    }
}
