using System.Globalization;
using Microsoft.AspNetCore.Html;

namespace Parley.Pages;

/// <summary>How much of a moment a page shows.</summary>
public enum TimeStyle
{
    /// <summary>"4 Dec 2026, 20:26 UTC+1"</summary>
    DateTime,
    /// <summary>"4 Dec, 20:26 UTC+1": lists of recent things</summary>
    Short,
    /// <summary>"4 Dec 2026, 20:26:05 UTC+1": runs a minute apart</summary>
    Seconds,
    /// <summary>"4 Dec 2026": the day, in the user's zone</summary>
    Date,
}

/// <summary>
/// The one formatter of times on pages: every page shows a moment in the signed-in user's time zone (Account → Time
/// zone; the browser's, detected at the first visit; UTC until then), through <see cref="Format"/> or <see cref="Tag"/>.
/// The zone is read with the session check of the request (<see cref="Auth.CookieSession"/>), so this costs no query.
/// </summary>
public sealed class UserTime(IHttpContextAccessor accessor)
{
    /// <summary>Where <see cref="Auth.CookieSession"/> leaves the user's zone id (null: not chosen yet) for this request.</summary>
    public const string ZoneItem = "parley:time-zone";

    private TimeZoneInfo? _zone;

    /// <summary>The user's zone id, or null when none is stored yet (the page then asks the browser for it).</summary>
    public string? ZoneId => accessor.HttpContext?.Items.TryGetValue(ZoneItem, out var id) == true ? id as string : null;

    public TimeZoneInfo Zone => _zone ??= Find(ZoneId) ?? TimeZoneInfo.Utc;

    public string Format(DateTimeOffset at, TimeStyle style = TimeStyle.DateTime)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        var text = local.ToString(style switch
        {
            TimeStyle.Short => "d MMM, HH:mm",
            TimeStyle.Seconds => "d MMM yyyy, HH:mm:ss",
            TimeStyle.Date => "d MMM yyyy",
            _ => "d MMM yyyy, HH:mm",
        }, CultureInfo.InvariantCulture);
        return style == TimeStyle.Date ? text : $"{text} {Offset(local.Offset)}";
    }

    /// <summary>A &lt;time&gt; element: the moment for machines, <see cref="Format"/> for people, the zone's name on hover.</summary>
    public IHtmlContent Tag(DateTimeOffset at, TimeStyle style = TimeStyle.DateTime)
    {
        var iso = at.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);
        var title = $"{TimeZoneInfo.ConvertTime(at, Zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} ({Zone.Id})";
        var content = new HtmlContentBuilder();
        content.AppendHtml("<time datetime=\"").Append(iso).AppendHtml("\" title=\"").Append(title).AppendHtml("\">").Append(Format(at, style)).AppendHtml("</time>");
        return content;
    }

    /// <summary>A zone id this machine knows (IANA, such as Europe/Paris), or null.</summary>
    public static TimeZoneInfo? Find(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    /// <summary>"UTC", "UTC+1", "UTC-5", "UTC+5:30".</summary>
    private static string Offset(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            return "UTC";
        }

        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return abs.Minutes == 0
            ? $"UTC{sign}{abs.Hours.ToString(CultureInfo.InvariantCulture)}"
            : $"UTC{sign}{abs.Hours.ToString(CultureInfo.InvariantCulture)}:{abs.Minutes.ToString("00", CultureInfo.InvariantCulture)}";
    }
}
