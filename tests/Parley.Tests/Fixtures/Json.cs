using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Parley.Tests.Fixtures;

public static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> Post(this HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string path, string body, string contentType) =>
        client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, contentType));

    /// <summary>Asserts a 400 ValidationProblemDetails naming <paramref name="field"/>; returns its message.</summary>
    public static async Task<string> AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        var problem = await ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("errors", out var errors), $"No 'errors' in {problem}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"'{field}' is not named in {errors}");
        var message = messages[0].GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message;
    }

    public static string[] Names(this JsonElement element) => element.EnumerateObject().Select(p => p.Name).Order().ToArray();
}
