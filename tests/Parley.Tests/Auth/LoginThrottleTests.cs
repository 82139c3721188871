using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Auth;

/// <summary>Password guessing through the login form: slowed, then locked, per account and per address.</summary>
public sealed class LoginThrottleTests : IAsyncLifetime
{
    private const string Wrong = "not the password";
    private const string NotMatching = "That email and password do not match an account.";
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly LogCapture _log = new();
    private ParleyHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ParleyHost.StartAsync(configure: b =>
        {
            b.Services.AddSingleton<TimeProvider>(_clock);
            b.Logging.AddProvider(_log);
        });
        await _host.CreateUserAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private sealed record Answer(HttpStatusCode Status, string? RetryAfter, string Message, bool SignedIn);

    private async Task<Answer> SignInAsync(string email, string password)
    {
        using var client = new FormClient(_host.BaseUrl);
        var response = await client.SignInAsync(email, password);
        var html = await response.Content.ReadAsStringAsync();
        var alert = html.Contains("role=\"alert\"", StringComparison.Ordinal)
            ? html[(html.IndexOf("role=\"alert\"", StringComparison.Ordinal) + 13)..].Split('<')[0].Trim()
            : "";
        return new Answer(response.StatusCode, response.Headers.RetryAfter?.ToString(), System.Net.WebUtility.HtmlDecode(alert), client.Cookie(FormClient.AuthCookie) is not null);
    }

    [Fact]
    public async Task After_five_wrong_passwords_the_right_one_is_refused_until_the_lockout_ends()
    {
        for (var i = 0; i < 5; i++)
        {
            if (i > 0)
            {
                _clock.Advance(TimeSpan.FromMinutes(1)); // past each growing wait
            }

            Assert.Equal(NotMatching, (await SignInAsync("ada@parley.test", Wrong)).Message);
        }

        var locked = await SignInAsync("ada@parley.test", ParleyHost.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.Status);
        Assert.False(locked.SignedIn);
        Assert.Contains("Too many failed sign-ins", locked.Message);
        Assert.Contains(_log.Lines, l => l.Contains("[Warning]") && l.Contains("ada@parley.test") && l.Contains("locked"));

        _clock.Advance(TimeSpan.FromMinutes(14)); // 14 minutes after the fifth failure
        Assert.False((await SignInAsync("ada@parley.test", ParleyHost.Password)).SignedIn);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var after = await SignInAsync("ada@parley.test", ParleyHost.Password);
        Assert.True(after.SignedIn, $"{after}");
    }

    [Fact]
    public async Task Each_failure_past_the_second_makes_the_next_try_wait_longer()
    {
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("ada@parley.test", Wrong)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("ada@parley.test", Wrong)).Status);
        var waits = new List<string?>();
        for (var i = 0; i < 2; i++)
        {
            var early = await SignInAsync("ada@parley.test", ParleyHost.Password);
            Assert.Equal(HttpStatusCode.TooManyRequests, early.Status);
            Assert.False(early.SignedIn);
            waits.Add(early.RetryAfter);
            _clock.Advance(TimeSpan.FromSeconds(int.Parse(early.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(NotMatching, (await SignInAsync("ada@parley.test", Wrong)).Message);
        }
        Assert.Equal(["1", "2"], waits);
    }

    [Fact]
    public async Task An_unknown_email_is_answered_exactly_like_a_known_one()
    {
        async Task<List<Answer>> GuessAsync(string email)
        {
            var answers = new List<Answer>();
            for (var i = 0; i < 7; i++)
            {
                answers.Add(await SignInAsync(email, Wrong));
                _clock.Advance(TimeSpan.FromSeconds(3));
            }
            return answers;
        }

        var known = await GuessAsync("ada@parley.test");
        var unknown = await GuessAsync("nobody@parley.test");
        Assert.Equal(known, unknown);
        Assert.Contains(known, a => a.Status == HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task One_address_guessing_many_accounts_is_locked_out_too()
    {
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(NotMatching, (await SignInAsync($"guess{i}@parley.test", Wrong)).Message);
        }

        var blocked = await SignInAsync("ada@parley.test", ParleyHost.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.Status);
        Assert.False(blocked.SignedIn);
        _clock.Advance(TimeSpan.FromMinutes(16));
        Assert.True((await SignInAsync("ada@parley.test", ParleyHost.Password)).SignedIn);
    }
}
