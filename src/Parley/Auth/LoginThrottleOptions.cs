namespace Parley.Auth;

/// <summary>How password guessing is slowed and stopped (configuration section "LoginThrottle").</summary>
public sealed class LoginThrottleOptions
{
    /// <summary>Failures for one email within <see cref="Window"/> that lock it for <see cref="Lockout"/>.</summary>
    public int AccountFailures { get; set; } = 5;
    /// <summary>Failures from one client address (IPv6: its /64) within <see cref="Window"/> that lock the address: looser, for offices behind one address.</summary>
    public int AddressFailures { get; set; } = 30;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>The wait after an account's second failure; it doubles with each further failure until the lockout.</summary>
    public TimeSpan FirstWait { get; set; } = TimeSpan.FromSeconds(1);
}
