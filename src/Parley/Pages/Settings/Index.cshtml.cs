using Microsoft.AspNetCore.Mvc;
using Parley.Core.Outbox;
using Parley.Core.Settings;

namespace Parley.Pages.Settings;

/// <summary>The installation's settings (admins only): alias domain, this server's name and IP, outgoing servers.</summary>
public sealed class IndexModel(SettingsService settings, OutgoingServerService servers, Mail.RelayConnectionTester tester) : ParleyPageModel
{
    [BindProperty] public string? AliasDomain { get; set; }
    [BindProperty] public string? Hostname { get; set; }
    [BindProperty] public string? PublicIp { get; set; }
    public Mail.ConnectionTestDto? TestResult { get; private set; }
    public string? TestedServer { get; private set; }

    public string TestSummary => TestResult is not { } t ? ""
        : t.Success ? $"\"{TestedServer}\" accepts mail from Parley{(t.Secure ? " over an encrypted connection" : "")}. Nothing was sent."
        : $"\"{TestedServer}\" failed at {t.Stage}: {t.Response}";

    public string TestTranscript => TestResult is null ? "" : string.Join("\n", TestResult.Transcript);
    [BindProperty] public ServerForm Server { get; set; } = new();
    public List<OutgoingServer> Servers { get; private set; } = [];

    public sealed class ServerForm
    {
        public string? Name { get; set; }
        public string? Host { get; set; }
        public int? Port { get; set; } = 587;
        public string? Security { get; set; } = "starttls";
        public string? Username { get; set; }
        public string? Password { get; set; }
        public string? FromFilter { get; set; }
        public string? SpfInclude { get; set; }
        public int? Priority { get; set; } = 10;
        public bool AllowPlainTextLogin { get; set; }
        /// <summary>Editing a server that has a password: an empty password field keeps it.</summary>
        public bool HasStoredPassword { get; set; }

        public OutgoingServerInput ToInput() =>
            new(Name, Host, Port, Security, Username, Password, Priority, FromFilter, SpfInclude, AllowPlainTextLogin: AllowPlainTextLogin);

        /// <summary>The form filled with a stored server (never its password).</summary>
        public static ServerForm Of(OutgoingServer s) => new()
        {
            Name = s.Name,
            Host = s.Host,
            Port = s.Port,
            Security = Api.ApiEnums.Name(s.Security).ToLowerInvariant(),
            Username = s.Username,
            FromFilter = s.FromFilter,
            SpfInclude = s.SpfInclude,
            Priority = s.Priority,
            AllowPlainTextLogin = s.AllowPlainTextLogin,
            HasStoredPassword = s.ProtectedPassword is not null,
        };
    }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken, loadAlias: true);

    public async Task<IActionResult> OnPostAliasAsync(CancellationToken cancellationToken)
    {
        if (await TryAsync(async () => AliasDomain = await settings.SetAliasDomainAsync(AliasDomain, cancellationToken)))
        {
            Flash($"Alias domain set to {AliasDomain}. Replies to Parley's emails come back to addresses on it.");
        }

        await LoadAsync(cancellationToken, loadAlias: false);
        return ModelState.IsValid ? Redirect("/settings") : Page();
    }

    public async Task<IActionResult> OnPostServerAsync(CancellationToken cancellationToken)
    {
        var ok = await TryAsync(() => servers.CreateAsync(Server.ToInput(), cancellationToken), "Server");
        if (ok)
        {
            Flash($"Outgoing server \"{Server.Name}\" added.");
            return Redirect("/settings");
        }
        await LoadAsync(cancellationToken, loadAlias: true);
        return Page();
    }

    public async Task<IActionResult> OnPostHostAsync(CancellationToken cancellationToken)
    {
        if (await TryAsync(() => settings.SetHostSettingsAsync(Hostname, PublicIp, cancellationToken)))
        {
            Flash("Saved. The DNS records on the Domains page now use these values.");
            return Redirect("/settings");
        }
        await LoadAsync(cancellationToken, loadAlias: true, loadHost: false);
        return Page();
    }

    public async Task<IActionResult> OnPostTestServerAsync(long serverId, CancellationToken cancellationToken)
    {
        var server = await servers.GetAsync(serverId, cancellationToken);
        TestedServer = server.Name;
        TestResult = await tester.TestAsync(server, null, null, cancellationToken);
        await LoadAsync(cancellationToken, loadAlias: true);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteServerAsync(long serverId, CancellationToken cancellationToken)
    {
        await servers.DeleteAsync(serverId, cancellationToken);
        Flash("Outgoing server removed.");
        return Redirect("/settings");
    }

    private async Task LoadAsync(CancellationToken cancellationToken, bool loadAlias, bool loadHost = true)
    {
        if (loadAlias)
        {
            AliasDomain = await settings.GetAliasDomainAsync(cancellationToken);
        }

        if (loadHost)
        {
            (Hostname, PublicIp) = await settings.GetHostSettingsAsync(cancellationToken);
        }

        Servers = await servers.ListAsync(cancellationToken);
    }
}
