namespace Parley.Core.SpamTest;

/// <summary>The optional engines the settings (or <c>parley score --spamd/--rspamd</c>) name.</summary>
public static class SpamEngines
{
    public static IReadOnlyList<ISpamEngine> From(SpamTestOptions options, HttpClient http)
    {
        var engines = new List<ISpamEngine>();
        if (!string.IsNullOrWhiteSpace(options.Spamd))
        {
            var (host, port) = HostPort(options.Spamd, 783);
            engines.Add(new SpamdEngine(host, port, options.EngineTimeout));
        }

        if (!string.IsNullOrWhiteSpace(options.Rspamd))
        {
            engines.Add(new RspamdEngine(http, CheckUrl(options.Rspamd), options.EngineTimeout));
        }

        return engines;
    }

    /// <summary>"HOST:PORT", "HOST" (the default port) or "[V6]:PORT".</summary>
    public static (string Host, int Port) HostPort(string text, int defaultPort)
    {
        text = text.Trim();
        var colon = text.LastIndexOf(':');
        if (colon > 0 && text.IndexOf(']') < colon && int.TryParse(text[(colon + 1)..], out var port) && port is > 0 and < 65536)
        {
            return (text[..colon].Trim('[', ']'), port);
        }

        return (text.Trim('[', ']'), defaultPort);
    }

    public static Uri CheckUrl(string text)
    {
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri.AbsolutePath.EndsWith("/checkv2", StringComparison.Ordinal) ? uri : new Uri(uri, "/checkv2");
        }

        var (host, port) = HostPort(text, 11333);
        return new Uri($"http://{(host.Contains(':') ? $"[{host}]" : host)}:{port}/checkv2");
    }
}
