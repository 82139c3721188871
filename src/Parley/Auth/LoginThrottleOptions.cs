using System.ComponentModel.DataAnnotations;

namespace Parley.Auth;

/// <summary>How password guessing is slowed and stopped (configuration section "LoginThrottle").</summary>
public sealed class LoginThrottleOptions
{
    public const string Section = "LoginThrottle";

    /// <summary>Failures for one email within <see cref="Window"/> that lock it for <see cref="Lockout"/>.</summary>
    [Range(1, int.MaxValue)]
    public int AccountFailures { get; set; } = 5;
    /// <summary>Failures from one client address (IPv6: its /64) within <see cref="Window"/> that lock the address: looser, for offices behind one address.</summary>
    [Range(1, int.MaxValue)]
    public int AddressFailures { get; set; } = 30;
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>The wait after an account's second failure; it doubles with each further failure until the lockout.</summary>
    public TimeSpan FirstWait { get; set; } = TimeSpan.FromSeconds(1);
}
