using System.ComponentModel.DataAnnotations;
using Parley.Deliverability.Checks;

namespace Parley.Core.SpamTest;

/// <summary>The spam test's settings ("SpamTest" section): how long a test address lives, the lists asked, link fetching, engines.</summary>
public sealed class SpamTestOptions
{
    public const string Section = "SpamTest";

    /// <summary>How long a test address accepts mail and its report is kept.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>IP block lists (DNSBL) the sending IP is looked up in, as &lt;reversed-ip&gt;.&lt;zone&gt;.</summary>
    public List<string> IpBlockLists { get; set; } = [.. DnsblCheck.DefaultZones];

    /// <summary>Domain and URI lists (DBL/URIBL style) the From, Return-Path, DKIM d= and link domains are looked up in, as &lt;domain&gt;.&lt;zone&gt;.</summary>
    public List<string> DomainBlockLists { get; set; } = ["dbl.spamhaus.org", "multi.uribl.com", "multi.surbl.org"];

    /// <summary>Fetch every http(s) link (HEAD, then GET) to find broken ones.</summary>
    public bool FetchLinks { get; set; } = true;

    /// <summary>Per-link timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan LinkTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>The time all link fetches of one message may take together.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan LinkBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most this many distinct links are fetched.</summary>
    [Range(0, 100)]
    public int MaxLinks { get; set; } = 20;

    /// <summary>Allow links to loopback and private addresses. Off in production (no requests into the local network); tests turn it on for their local server.</summary>
    public bool AllowPrivateLinkHosts { get; set; }

    /// <summary>SpamAssassin's spamd as HOST:PORT; its verdict is shown beside the score. Empty: not asked.</summary>
    public string? Spamd { get; set; }

    /// <summary>rspamd's normal worker as HOST:PORT or an http URL (…/checkv2 is added); shown beside the score. Empty: not asked.</summary>
    public string? Rspamd { get; set; }

    /// <summary>How long an engine may take before it is a note ("did not answer").</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan EngineTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
