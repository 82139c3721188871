namespace Parley.Deliverability.Spf;

/// <summary>The results of check_host() (RFC 7208 section 2.6).</summary>
public enum SpfVerdict
{
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}

public static class SpfVerdictExtensions
{
    /// <summary>The lower-case token used in Received-SPF and Authentication-Results ("softfail", "temperror"…).</summary>
    public static string ToToken(this SpfVerdict verdict) => verdict switch
    {
        SpfVerdict.None => "none",
        SpfVerdict.Neutral => "neutral",
        SpfVerdict.Pass => "pass",
        SpfVerdict.Fail => "fail",
        SpfVerdict.SoftFail => "softfail",
        SpfVerdict.TempError => "temperror",
        SpfVerdict.PermError => "permerror",
        _ => "none",
    };
}
