using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Parley.Core.SpamTest;

/// <summary>rspamd's normal worker, asked with <c>POST /checkv2</c>: its score, the action's threshold and each symbol with its score.</summary>
public sealed class RspamdEngine(HttpClient http, Uri checkUrl, TimeSpan timeout) : ISpamEngine
{
    public async Task<EngineVerdict> CheckAsync(byte[] raw, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            using var content = new ByteArrayContent(raw);
            content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
            using var response = await http.PostAsync(checkUrl, content, timer.Token);
            var text = await response.Content.ReadAsStringAsync(timer.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Down($"answered HTTP {(int)response.StatusCode}");
            }

            return Parse(text);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or JsonException)
        {
            return Down(e is OperationCanceledException ? $"no reply within {timeout.TotalSeconds:0} s" : e.Message);
        }
    }

    public static EngineVerdict Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var hits = new List<EngineHit>();
        if (root.TryGetProperty("symbols", out var symbols) && symbols.ValueKind == JsonValueKind.Object)
        {
            foreach (var symbol in symbols.EnumerateObject())
            {
                var score = symbol.Value.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : 0;
                var description = symbol.Value.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                hits.Add(new EngineHit(symbol.Name, Math.Round(score, 2), description));
            }
        }

        double? Number(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? Math.Round(v.GetDouble(), 2) : null;
        var action = root.TryGetProperty("action", out var a) ? a.GetString() : null;
        return new EngineVerdict("rspamd", Number("score"), Number("required_score"), hits.OrderByDescending(h => Math.Abs(h.Score)).ToList(),
            action is null ? null : string.Create(CultureInfo.InvariantCulture, $"action: {action}"));
    }

    private EngineVerdict Down(string why) =>
        new("rspamd", null, null, [], $"rspamd at {checkUrl.GetLeftPart(UriPartial.Authority)} did not answer ({why}); the built-in checks are complete without it.");
}
