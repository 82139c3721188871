using Parley.Core.Templates;

namespace Parley.Pages.Templates;

public sealed class IndexModel(TemplateService templates) : ParleyPageModel
{
    public List<MailTemplate> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Items = await templates.ListAsync(null, cancellationToken);
}
