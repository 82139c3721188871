using System.Net;
using System.Text.RegularExpressions;

namespace Parley.Tests.Fixtures;

/// <summary>
/// A browser-like HTTP client for Parley's pages: keeps its cookies by hand (so a test can copy a session cookie to
/// another client or read its flags), and posts forms with the antiforgery token of the page they live on.
/// </summary>
public sealed partial class FormClient : IDisposable
{
    public const string AuthCookie = "parley.auth";

    private readonly HttpClient _http;
    private readonly Dictionary<string, string> _cookies = [];

    public FormClient(Uri address, params (string Name, string Value)[] headers)
    {
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        foreach (var (name, value) in headers)
        {
            _http.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>The raw Set-Cookie headers of the last response.</summary>
    public IReadOnlyList<string> LastSetCookies { get; private set; } = [];

    public string? Cookie(string name) => _cookies.GetValueOrDefault(name);

    /// <summary>Gives this client another client's session cookie, as a thief who copied it would.</summary>
    public void CopySessionFrom(FormClient other) => _cookies[AuthCookie] = other.Cookie(AuthCookie) ?? throw new InvalidOperationException("The other client is not signed in.");

    public async Task<HttpResponseMessage> GetAsync(string path) => await SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>Opens <paramref name="page"/>, then posts <paramref name="fields"/> with its antiforgery token to <paramref name="action"/> (default: the page).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, IReadOnlyDictionary<string, string> fields, string? action = null)
    {
        var form = await GetAsync(page);
        var html = await form.Content.ReadAsStringAsync();
        Assert.True(form.StatusCode == HttpStatusCode.OK, $"GET {page} answered {(int)form.StatusCode} {form.Headers.Location}");
        var token = AntiforgeryToken().Match(html);
        Assert.True(token.Success, $"{page} has no antiforgery token");
        var body = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value) };
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, action ?? page) { Content = new FormUrlEncodedContent(body) });
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        PostFormAsync("/login", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await _http.SendAsync(request);
        LastSetCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        foreach (var header in LastSetCookies)
        {
            var pair = header.Split(';', 2)[0].Split('=', 2);
            var expired = header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
            if (expired || pair[1].Length == 0)
            {
                _cookies.Remove(pair[0]);
            }
            else
            {
                _cookies[pair[0]] = pair[1];
            }
        }
        return response;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
