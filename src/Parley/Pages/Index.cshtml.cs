using Parley.Core.Dashboard;

namespace Parley.Pages;

/// <summary>The home page: what needs attention today, each figure a link to the page where it is handled.</summary>
public sealed class IndexModel(DashboardService dashboard, UserTime times) : ParleyPageModel
{
    public DashboardFigures Figures { get; private set; } = null!;

    /// <summary>"Today" is the user's day, in her time zone.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) => Figures = await dashboard.GetAsync(times.Zone, cancellationToken);
}
