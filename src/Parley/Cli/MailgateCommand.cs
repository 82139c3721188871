using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Parley.Cli;

/// <summary>
/// <c>parley mailgate</c>: reads one message on stdin and hands it to the running server (for a Postfix
/// pipe or an aliases entry). Exit codes follow sysexits.h so the MTA does the right thing: 0 once the
/// server has committed the message, 75 (EX_TEMPFAIL, the MTA retries) when the server is unreachable or
/// answers 5xx, 65 (EX_DATAERR, the MTA bounces) for an empty or too large message, 77 (EX_NOPERM) for a refused
/// token, 64 for bad usage. Without --recipient the server routes by the X-Original-To / Delivered-To headers.
/// </summary>
public static class MailgateCommand
{
    public const int Ok = 0, Usage = 64, DataError = 65, TempFail = 75, NoPermission = 77;

    public static Command Create()
    {
        var url = new Option<string>("--url")
        {
            Description = "The running Parley's web address",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PARLEY_URL") ?? "http://127.0.0.1:5080",
        };
        var token = new Option<string?>("--token")
        {
            Description = "A mailgate API token (parley token create --scope mailgate); default: $PARLEY_TOKEN",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PARLEY_TOKEN"),
        };
        var tokenFile = new Option<string?>("--token-file")
        {
            Description = "A file holding the API token (its first line): keeps the token out of /etc/aliases and the process list",
        };
        var sender = new Option<string?>("--sender") { Description = "The envelope sender, e.g. ${sender} in a Postfix pipe" };
        var recipient = new Option<string?>("--recipient")
        {
            Description = "The envelope recipient, e.g. ${recipient} in a Postfix pipe. Without it, the recipients are taken from the "
                + "X-Original-To and Delivered-To headers (topmost first), which Postfix's local delivery adds for an aliases entry "
                + "such as support: \"|parley mailgate --url http://127.0.0.1:5080 --token T\"",
        };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the server", DefaultValueFactory = _ => 60 };
        var command = new Command("mailgate", "Read one email on stdin and hand it to the running Parley (exit 0 once stored, 75 to make the MTA retry)")
        {
            url, token, tokenFile, sender, recipient, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = parse.GetValue(token);
            if (string.IsNullOrWhiteSpace(given) && parse.GetValue(tokenFile) is { Length: > 0 } path)
            {
                try
                {
                    given = File.ReadLines(path).FirstOrDefault()?.Trim();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Not the message's fault: the MTA keeps it and tries again once the file is readable.
                    await Console.Error.WriteLineAsync($"mailgate: the token file {path} cannot be read ({e.Message}); the mail server will try again later.");
                    return TempFail;
                }
            }
            using var input = Console.OpenStandardInput();
            return await RunAsync(input, parse.GetValue(url)!, given, parse.GetValue(sender), parse.GetValue(recipient),
                TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(timeout), 1, 3600)), Console.Error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(Stream input, string url, string? token, string? sender, string? recipient, TimeSpan timeout, TextWriter errors, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            await errors.WriteLineAsync($"mailgate: --url must be an http(s) address such as http://127.0.0.1:5080, not \"{url}\".");
            return Usage;
        }
        if (string.IsNullOrWhiteSpace(token))
        {
            await errors.WriteLineAsync("mailgate: give an API token with --token-file, --token or $PARLEY_TOKEN (create one with 'parley token create').");
            return Usage;
        }
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0)
        {
            await errors.WriteLineAsync("mailgate: the message on stdin is empty; nothing was stored.");
            return DataError;
        }

        using var http = new HttpClient { BaseAddress = baseUri, Timeout = timeout };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/inbound/raw") { Content = new ByteArrayContent(buffer.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        // Lets the server refuse a message that is too large (or a bad token) before the body is sent.
        request.Headers.ExpectContinue = true;
        if (!string.IsNullOrEmpty(sender))
        {
            request.Headers.TryAddWithoutValidation("X-Parley-Envelope-From", sender);
        }

        if (!string.IsNullOrEmpty(recipient))
        {
            request.Headers.TryAddWithoutValidation("X-Parley-Envelope-To", recipient);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await errors.WriteLineAsync($"mailgate: Parley at {baseUri} could not be reached ({e.Message}); the mail server will try again later.");
            return TempFail;
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return Ok;
            }

            var (exit, consequence) = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => (NoPermission, "check the token given with --token or $PARLEY_TOKEN"),
                HttpStatusCode.RequestEntityTooLarge => (DataError, $"the message ({Megabytes(buffer.Length)} MB) is too large; it was not stored and the mail server will return it to its sender"),
                HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType => (DataError, "the message was not stored and the mail server will return it to its sender"),
                _ => (TempFail, "the mail server will try again later"),
            };
            await errors.WriteLineAsync($"mailgate: Parley answered {(int)response.StatusCode} ({Detail(body)}); {consequence}.");
            return exit;
        }
    }

    /// <summary>The detail of a ProblemDetails answer, else the start of whatever came back.</summary>
    private static string Detail(string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.ValueKind == JsonValueKind.Object
                && (problem.RootElement.TryGetProperty("detail", out var text) || problem.RootElement.TryGetProperty("title", out text))
                && text.ValueKind == JsonValueKind.String)
            {
                return text.GetString()!;
            }
        }
        catch (JsonException) { }
        return body.Trim() is { Length: > 0 } raw ? Short(raw) : "no explanation given";
    }

    private static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Short(string text) => text.Length <= 300 ? text : text[..300];
}
