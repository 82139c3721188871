using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Parley.Core.Common;

namespace Parley.Auth;

/// <summary>
/// Counts failed password checks per email and per client address: after the second failure of an email each try must
/// wait longer, and enough failures lock the email or the address for a while. An email nobody has is counted exactly
/// like one that exists, so the answers never tell which accounts exist. In memory: each node counts on its own, and a
/// restart forgets.
/// </summary>
public sealed partial class LoginThrottle(IOptions<LoginThrottleOptions> options, TimeProvider clock, ILogger<LoginThrottle> logger)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, Counter> _counters = new();
    private DateTimeOffset _lastPrune;

    /// <summary>
    /// Starts a password check for <paramref name="email"/> from <paramref name="address"/>. When the attempt has
    /// <see cref="LoginAttempt.MustWait"/>, do not check the password. Otherwise call <see cref="LoginAttempt.Succeeded"/>
    /// when it matched; disposing the attempt without that counts a failure.
    /// </summary>
    public LoginAttempt Begin(string? email, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var o = options.Value;
        var account = _counters.GetOrAdd("account:" + (EmailAddress.Normalize(email) ?? email?.Trim().ToLowerInvariant() ?? ""), _ => new Counter());
        var client = _counters.GetOrAdd("address:" + RequestOrigin.ClientKey(address), _ => new Counter());
        lock (account)
            lock (client)
            {
                var wait = Max(account.Wait(now, o.AccountFailures, o.Window), client.Wait(now, o.AddressFailures, o.Window));
                if (wait > TimeSpan.Zero)
                {
                    return new LoginAttempt(wait, finish: null);
                }

                account.InFlight++;
                client.InFlight++;
            }
        return new LoginAttempt(null, succeeded => Finish(account, client, succeeded, email, address));
    }

    private void Finish(Counter account, Counter client, bool succeeded, string? email, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var o = options.Value;
        lock (account)
        {
            account.InFlight--;
            if (succeeded)
            {
                account.Reset(now);
            }
            else if (account.Fail(now, o.AccountFailures, o.Window, o.Lockout, o.FirstWait))
            {
                LogAccountLocked(logger, email ?? "", o.AccountFailures, o.Lockout.TotalMinutes, address?.ToString() ?? "unknown");
            }
        }
        lock (client)
        {
            client.InFlight--;
            if (!succeeded && client.Fail(now, o.AddressFailures, o.Window, o.Lockout, firstWait: null))
            {
                LogAddressLocked(logger, RequestOrigin.ClientKey(address), o.AddressFailures, o.Lockout.TotalMinutes);
            }
        }
        if (_counters.Count > PruneAbove && now - _lastPrune > TimeSpan.FromMinutes(1))
        {
            Prune(now);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        _lastPrune = now;
        foreach (var (key, counter) in _counters)
        {
            lock (counter)
            {
                if (counter.IsIdle(now, options.Value.Window))
                {
                    _counters.TryRemove(key, out _);
                }
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>One email's or one address's recent failures; guarded by locking the instance.</summary>
    private sealed class Counter
    {
        private int _failures;
        private DateTimeOffset _windowStart;
        private DateTimeOffset _blockedUntil;
        public int InFlight;

        /// <summary>How long until a password may be checked; checks under way count, so parallel guesses cannot slip past the limit.</summary>
        public TimeSpan Wait(DateTimeOffset now, int limit, TimeSpan window)
        {
            if (_blockedUntil > now)
            {
                return _blockedUntil - now;
            }

            var failures = now - _windowStart > window ? 0 : _failures;
            return failures + InFlight >= limit ? TimeSpan.FromSeconds(1) : TimeSpan.Zero;
        }

        /// <summary>Counts a failure; true when it locks.</summary>
        public bool Fail(DateTimeOffset now, int limit, TimeSpan window, TimeSpan lockout, TimeSpan? firstWait)
        {
            if (now - _windowStart > window)
            {
                _failures = 0;
                _windowStart = now;
            }
            _failures++;
            if (_failures >= limit)
            {
                Reset(now);
                _blockedUntil = now + lockout;
                return true;
            }
            if (firstWait is { } first && _failures >= 2)
            {
                _blockedUntil = now + first * Math.Pow(2, _failures - 2);
            }

            return false;
        }

        public void Reset(DateTimeOffset now)
        {
            _failures = 0;
            _windowStart = now;
            _blockedUntil = DateTimeOffset.MinValue;
        }

        public bool IsIdle(DateTimeOffset now, TimeSpan window) => InFlight == 0 && _blockedUntil <= now && (_failures == 0 || now - _windowStart > window);
    }

    /// <summary>One password check in progress (see <see cref="Begin"/>).</summary>
    public sealed class LoginAttempt(TimeSpan? mustWait, Action<bool>? finish) : IDisposable
    {
        private Action<bool>? _finish = finish;

        /// <summary>Set when the password must not be checked now: how long to wait first.</summary>
        public TimeSpan? MustWait { get; } = mustWait;

        public void Succeeded() => Finish(succeeded: true);

        public void Dispose() => Finish(succeeded: false);

        private void Finish(bool succeeded)
        {
            var finish = _finish;
            _finish = null;
            finish?.Invoke(succeeded);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in for {Email} is locked after {Failures} failed passwords in a row; it opens again in {Minutes} minutes (last try from {Address}).")]
    private static partial void LogAccountLocked(ILogger logger, string email, int failures, double minutes, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in from {Address} is locked after {Failures} failed passwords; it opens again in {Minutes} minutes.")]
    private static partial void LogAddressLocked(ILogger logger, string address, int failures, double minutes);
}
