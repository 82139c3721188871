using Microsoft.AspNetCore.Mvc.RazorPages;
using Parley.Auth;
using Parley.Core.Common;
using Parley.Core.Identity;

namespace Parley.Pages;

/// <summary>Shared helpers for Parley's pages: the acting user and showing input errors next to their fields.</summary>
public abstract class ParleyPageModel : PageModel
{
    protected ActingUser Acting => User.ToActingUser();

    /// <summary>Runs an action; bad input becomes field messages on the page instead of an error page.</summary>
    /// <param name="missingField">The field that names what the action looks up (a contact id typed into a form): when
    /// that is not found, the message goes next to it. Without it, "not found" is the page's own 404.</param>
    protected async Task<bool> TryAsync(Func<Task> action, string? prefix = null, string? missingField = null)
    {
        try
        {
            await action();
            return true;
        }
        catch (InvalidInputException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(prefix is null ? field : $"{prefix}.{field}", message);
                }
            }

            return false;
        }
        catch (NotFoundException e) when (missingField is not null)
        {
            ModelState.AddModelError(prefix is null ? missingField : $"{prefix}.{missingField}", e.Message);
            return false;
        }
    }

    protected void Flash(string message) => TempData["Flash"] = message;
}
