using Parley.Core.Identity;

namespace Parley.Pages;

/// <summary>Where a member lands on an admin page: what happened and whom to ask, answered with 403.</summary>
public sealed class ForbiddenModel(UserService users) : ParleyPageModel
{
    public List<User> Admins { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Admins = await users.ListAdminsAsync(cancellationToken);
    }
}
