namespace Parley.Auth;

/// <summary>The first-run set-up page (configuration section "Setup").</summary>
public sealed class SetupOptions
{
    public const string Section = "Setup";

    /// <summary>Ask for the set-up code on this machine too, for a local proxy that does not send X-Forwarded-For.</summary>
    public bool AlwaysAskCode { get; set; }
}
