using System.Security.Claims;
using Parley.Auth;
using Parley.Core.SpamTest;

namespace Parley.Api;

public sealed record SelfTestBody(long? TemplateId, string? RecordType, long? RecordId);

public sealed record PredictBody(string? Subject, string? Html, string? Text);

/// <summary>/api/v1/spam-tests: throw-away addresses on the alias domain whose mail is scored out of 10 (docs/spam-score.md).</summary>
public static class SpamTestsApi
{
    public static void MapSpamTestsApi(this RouteGroupBuilder api)
    {
        var tests = api.MapGroup("/spam-tests").WithTags("Spam tests");

        tests.MapPost("", async (SpamTestService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var created = await service.CreateAsync(user.ToActingUser().Id, null, null, cancellationToken);
            return Results.Created($"/api/v1/spam-tests/{created.Test.Token}", new { id = created.Test.Token, address = created.Address, expiresAt = created.Test.ExpiresAt });
        })
        .Produces(StatusCodes.Status201Created)
        .ProducesValidationProblem()
        .WithSummary("Make a fresh test address (test-<random>@alias-domain); mail to it from anywhere is scored and never reaches a chatter");

        tests.MapPost("/self", async (SelfTestBody body, SpamTestSender sender, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var sent = await sender.SendAsync(body.TemplateId, body.RecordType, body.RecordId, user.ToActingUser(), cancellationToken);
            return Results.Accepted($"/api/v1/spam-tests/{sent.Test.Token}", new { id = sent.Test.Token, address = sent.Address });
        })
        .Produces(StatusCodes.Status202Accepted)
        .ProducesValidationProblem()
        .WithSummary("Send a test: render a template for a record and send it through Parley's real outgoing route to a new test address; the report follows when it arrives");

        tests.MapPost("/predict", (PredictBody body, SpamChecker checker, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(body.Html) && string.IsNullOrWhiteSpace(body.Text))
            {
                throw new Core.Common.InvalidInputException("text", "Give the text or the HTML of the email to predict its score.");
            }

            var acting = user.ToActingUser();
            var report = checker.PredictDraft(body.Subject, body.Html, body.Text, new MimeKit.MailboxAddress(acting.Name, acting.Email), cancellationToken);
            return Results.Ok(new { score = report.Score, max = SpamReport.Max, band = report.Band, sections = SpamReportJson.Sections(report) });
        })
        .ProducesValidationProblem()
        .WithSummary("Predict the score before sending: the format and content checks (no authentication, DNS or links) of {subject, html?, text?}");

        tests.MapGet("", async (SpamTestService service, int? limit, CancellationToken cancellationToken) =>
            (await service.ListAsync(limit ?? 100, cancellationToken)).Select(v => new
            {
                id = v.Test.Token,
                address = v.Address,
                status = v.Status,
                score = v.Test.LastScore,
                max = SpamReport.Max,
                band = v.Test.LastScore is { } s ? SpamReport.BandOf(s) : null,
                sendingDomain = v.Test.SendingDomain,
                templateId = v.Test.TemplateId,
                createdAt = v.Test.CreatedAt,
                receivedAt = v.Test.LastReceivedAt,
                expiresAt = v.Test.ExpiresAt,
            }))
        .WithSummary("Past spam tests, newest first, with their latest score");

        tests.MapGet("/{id}", async (string id, SpamTestService service, CancellationToken cancellationToken) => Results.Ok(View(await service.GetAsync(id, cancellationToken))))
        .Produces(StatusCodes.Status200OK)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("The report of a test: {id, address, status: waiting|done, score, max, band, sections, authenticationResults, receivedAt, rawUrl, messages}; unknown or expired ids are 404");

        tests.MapGet("/{id}/raw", async (string id, long? message, SpamTestService service, CancellationToken cancellationToken) =>
            Results.File(await service.RawAsync(id, message, cancellationToken), "message/rfc822", $"spam-test-{id}.eml"))
        .Produces(StatusCodes.Status200OK, contentType: "message/rfc822")
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("The raw message as received (the latest, or ?message=ID of an older one)");
    }

    /// <summary>The report JSON of the API (and of the page's data): the test, then the latest message's report, then the older messages.</summary>
    public static object View(SpamTestView view) => new
    {
        id = view.Test.Token,
        address = view.Address,
        status = view.Status,
        score = view.Report?.Score,
        max = SpamReport.Max,
        band = view.Report?.Band,
        sections = view.Report is { } report ? SpamReportJson.Sections(report) : [],
        engines = view.Report?.Engines ?? [],
        authenticationResults = view.Report?.AuthenticationResults,
        receivedChain = view.Report?.ReceivedChain ?? [],
        receivedAt = view.Latest?.ReceivedAt,
        rawUrl = view.Latest is null ? null : $"/api/v1/spam-tests/{view.Test.Token}/raw",
        expiresAt = view.Test.ExpiresAt,
        messages = view.Messages.Select(m => new { id = m.Id, from = m.FromAddress, subject = m.Subject, receivedAt = m.ReceivedAt, score = m.Score, rawUrl = $"/api/v1/spam-tests/{view.Test.Token}/raw?message={m.Id}" }),
    };
}
