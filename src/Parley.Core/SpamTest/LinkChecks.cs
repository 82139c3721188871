using System.Net;
using System.Net.Sockets;
using Parley.Deliverability.Dns;

namespace Parley.Core.SpamTest;

/// <summary>What fetching one link found: fine, broken (with why), or not fetched.</summary>
public sealed record LinkOutcome(string Url, bool Broken, string Detail);

/// <summary>
/// Links: every http(s) link is fetched (HEAD, then GET when HEAD is refused), without reading bodies, with a timeout per
/// link and a budget for all; redirects are followed by hand (at most <see cref="MaxRedirects"/>). Names are resolved
/// through Parley's DNS resolver, and a link to a loopback, private or link-local address is never fetched unless
/// <see cref="SpamTestOptions.AllowPrivateLinkHosts"/> is on (tests, with their local server).
/// </summary>
public sealed class LinkChecks : IDisposable
{
    public const int MaxRedirects = 5;
    private const int Parallel = 4;

    private readonly IDnsResolver _dns;
    private readonly SpamTestOptions _options;
    private readonly HttpClient _http;

    public LinkChecks(IDnsResolver dns, SpamTestOptions options)
    {
        _dns = dns;
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = options.LinkTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            MaxResponseHeadersLength = 64,
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Parley-SpamTest/1.0 (link check)");
    }

    public async Task<SpamSection> SectionAsync(IReadOnlyList<MessageLink> links, CancellationToken cancellationToken)
    {
        const string id = "links.broken", title = "Broken links";
        var urls = links.Select(l => l.Uri).OfType<Uri>().Select(u => u.GetLeftPart(UriPartial.Query)).Distinct().ToList();
        if (!_options.FetchLinks)
        {
            return new SpamSection("links", "Links", [SpamCheck.Info(id, title, $"{urls.Count} link{(urls.Count == 1 ? "" : "s")}; link fetching is off.")]);
        }

        if (urls.Count == 0)
        {
            return new SpamSection("links", "Links", [SpamCheck.Pass(id, title, 1, "No http(s) links.")]);
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_options.LinkBudget);
        using var gate = new SemaphoreSlim(Parallel);
        var fetched = urls.Take(_options.MaxLinks).Select(async url =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return budget.IsCancellationRequested ? null : await FetchAsync(url, budget.Token, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        });
        var outcomes = await Task.WhenAll(fetched);
        var done = outcomes.OfType<LinkOutcome>().ToList();
        var broken = done.Where(o => o.Broken).ToList();
        var skipped = urls.Count - done.Count;
        var note = skipped > 0 ? $" {skipped} not fetched (limit of {_options.MaxLinks} links or the {_options.LinkBudget.TotalSeconds:0.#} s budget)." : "";
        var check = broken.Count > 0
            ? new SpamCheck(id, title, CheckResult.Fail, 1, string.Join("; ", broken.Take(5).Select(b => $"{b.Url}: {b.Detail}")) + "." + note,
                new CheckFix("Fix or remove the broken links; receivers and readers both count them against the message."))
            : SpamCheck.Pass(id, title, 1, $"{done.Count} link{(done.Count == 1 ? "" : "s")} fetched, none broken.{note}");
        return new SpamSection("links", "Links", [check]);
    }

    private async Task<LinkOutcome> FetchAsync(string url, CancellationToken budget, CancellationToken cancellationToken)
    {
        using var perLink = CancellationTokenSource.CreateLinkedTokenSource(budget);
        perLink.CancelAfter(_options.LinkTimeout);
        var current = new Uri(url);
        try
        {
            for (var hop = 0; hop <= MaxRedirects; hop++)
            {
                var status = await StatusAsync(current, HttpMethod.Head, perLink.Token);
                if (status.Code is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                {
                    status = await StatusAsync(current, HttpMethod.Get, perLink.Token);
                }

                if ((int)status.Code is >= 300 and < 400 && status.Location is { } location)
                {
                    current = new Uri(current, location);
                    if (current.Scheme is not ("http" or "https"))
                    {
                        return new LinkOutcome(url, true, $"redirects to {current.Scheme}:");
                    }

                    continue;
                }

                var code = (int)status.Code;
                return code >= 400 ? new LinkOutcome(url, true, $"HTTP {code}") : new LinkOutcome(url, false, $"HTTP {code}");
            }

            return new LinkOutcome(url, true, $"more than {MaxRedirects} redirects");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new LinkOutcome(url, true, budget.IsCancellationRequested ? "the link budget ran out" : $"no answer within {_options.LinkTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return new LinkOutcome(url, true, e.InnerException is RefusedAddressException refused ? refused.Message : Short(e.Message));
        }
    }

    private async Task<(HttpStatusCode Code, Uri? Location)> StatusAsync(Uri uri, HttpMethod method, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return (response.StatusCode, response.Headers.Location);
    }

    /// <summary>Resolves through Parley's resolver and connects only to addresses the settings allow.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        IReadOnlyList<IPAddress> addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            var answer = await _dns.QueryAAsync(host, cancellationToken);
            addresses = answer.RecordsOf<DnsAddressRecord>().Select(a => a.Address).ToList();
            if (addresses.Count == 0)
            {
                var v6 = await _dns.QueryAaaaAsync(host, cancellationToken);
                addresses = v6.RecordsOf<DnsAddressRecord>().Select(a => a.Address).ToList();
                if (addresses.Count == 0)
                {
                    throw new RefusedAddressException($"{host} does not resolve ({answer.Status})");
                }
            }
        }

        var allowed = addresses.Where(a => _options.AllowPrivateLinkHosts || !InternetAddress.IsPrivate(a)).ToList();
        if (allowed.Count == 0)
        {
            throw new RefusedAddressException($"{host} is a loopback or private address ({addresses[0]}); not fetched");
        }

        var socket = new Socket(allowed[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(allowed[0], context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Short(string text) => text.Length > 120 ? text[..120] + "…" : text;

    public void Dispose() => _http.Dispose();

    private sealed class RefusedAddressException(string message) : IOException(message);
}
