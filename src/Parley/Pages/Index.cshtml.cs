using Parley.Core.Dashboard;

namespace Parley.Pages;

/// <summary>The home page: what needs attention today, each figure a link to the page where it is handled.</summary>
public sealed class IndexModel(DashboardService dashboard) : ParleyPageModel
{
    public DashboardFigures Figures { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Figures = await dashboard.GetAsync(cancellationToken);
}
