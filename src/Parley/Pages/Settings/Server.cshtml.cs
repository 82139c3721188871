using Microsoft.AspNetCore.Mvc;
using Parley.Core.Outbox;

namespace Parley.Pages.Settings;

/// <summary>One outgoing server, edited in place (admins only): the same checks as when it is added; an empty password keeps the stored one.</summary>
public sealed class ServerModel(OutgoingServerService servers, Mail.RelayConnectionTester tester) : ParleyPageModel
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty] public IndexModel.ServerForm Server { get; set; } = new();
    public OutgoingServer Stored { get; private set; } = null!;
    public Mail.ConnectionTestDto? TestResult { get; private set; }

    public string TestSummary => TestResult is not { } t ? ""
        : t.Success ? $"\"{Stored.Name}\" accepts mail from Parley{(t.Secure ? " over an encrypted connection" : "")}. Nothing was sent."
        : $"\"{Stored.Name}\" failed at {t.Stage}: {t.Response}";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Stored = await servers.GetAsync(Id, cancellationToken);
        Server = IndexModel.ServerForm.Of(Stored);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        Stored = await servers.GetAsync(Id, cancellationToken);
        if (await TryAsync(() => servers.UpdateAsync(Id, Server.ToInput(), cancellationToken), "Server"))
        {
            Flash($"Outgoing server \"{Server.Name?.Trim()}\" saved.");
            return Redirect("/settings");
        }
        Server.HasStoredPassword = Stored.ProtectedPassword is not null;
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken cancellationToken)
    {
        Stored = await servers.GetAsync(Id, cancellationToken);
        Server = IndexModel.ServerForm.Of(Stored);
        TestResult = await tester.TestAsync(Stored, null, null, cancellationToken);
        return Page();
    }
}
