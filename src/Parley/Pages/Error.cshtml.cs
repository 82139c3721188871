using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Parley.Core.Common;

namespace Parley.Pages;

/// <summary>
/// What a browser sees instead of an empty or JSON error: a page that says what went wrong and where to go next.
/// Re-executed by the error handlers in <see cref="Hosting.ErrorPages"/> with the original status code kept.
/// </summary>
[IgnoreAntiforgeryToken] // re-executed for a refused form post too; checking its token again would only refuse again
public sealed class ErrorModel : ParleyPageModel
{
    public int Code { get; private set; }
    public string Heading { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(int? code)
    {
        var exception = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        Code = exception is null ? code ?? Response.StatusCode : Response.StatusCode;
        (Heading, Explanation) = (Code, exception) switch
        {
            (404, NotFoundException missing) => ("Not found", $"{missing.Message} It may have been removed, or the link has a wrong number in it."),
            (404, _) => ("Page not found", "There is no page at this address. Check the link, or start again from the menu."),
            (400, _) => ("The form could not be sent", "Parley could not accept what the browser sent, often because the page was open for a long time. Go back, reload the page and try again."),
            (405, _) => ("Not possible here", "This address does not take that kind of request. Start again from the menu."),
            _ => ("Something went wrong", "Parley could not finish this request. Nothing you did caused it; try again in a moment. If it keeps happening, the server's log says why."),
        };
    }

    public void OnPost(int? code) => OnGet(code);
}
