using Microsoft.AspNetCore.Mvc;
using Parley.Core.Fetch;

namespace Parley.Pages.Inbound;

/// <summary>The form fields of "Add a mailbox".</summary>
public sealed class MailboxForm
{
    public string? Name { get; set; }
    public string Protocol { get; set; } = "imap";
    public string? Host { get; set; }
    public int? Port { get; set; }
    public string Security { get; set; } = "tls";
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? Folder { get; set; } = "INBOX";
    public string? AfterFetch { get; set; }
    public string? MoveToFolder { get; set; }
    public int IntervalSeconds { get; set; } = FetchOptions.DefaultIntervalSeconds;
    public bool ValidateCertificate { get; set; } = true;
}

/// <summary>Mailboxes to fetch (IMAP/POP3): their last result, add, remove, test, fetch now, and messages that could not be stored.</summary>
public sealed class MailboxesModel(FetchAccountService accounts, FetchCoordinator coordinator) : ParleyPageModel
{
    public List<FetchAccount> Accounts { get; private set; } = [];
    public List<FetchFailure> Failures { get; private set; } = [];
    [BindProperty] public MailboxForm Mailbox { get; set; } = new();
    public string? ResultText { get; private set; }
    public bool ResultOk { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Accounts = await accounts.ListAsync(cancellationToken);
        Failures = await accounts.FailuresAsync(null, cancellationToken);
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        var m = Mailbox;
        var after = string.IsNullOrEmpty(m.AfterFetch) ? null : m.AfterFetch;
        if (m.Protocol == "pop3" && after is "markSeen" or "move")
        {
            after = "keep";
        }

        if (await TryAsync(() => accounts.CreateAsync(new FetchAccountInput(
                m.Name, m.Protocol, m.Host, m.Port, m.Security, m.Username, m.Password, m.Folder, after, m.MoveToFolder,
                m.IntervalSeconds, true, m.ValidateCertificate), cancellationToken), "Mailbox"))
        {
            Flash($"Parley will fetch \"{m.Name?.Trim()}\" every {Every(m.IntervalSeconds)}. Use “Test” to check the login.");
            return RedirectToPage();
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(long accountId, CancellationToken cancellationToken)
    {
        await accounts.DeleteAsync(accountId, cancellationToken);
        Flash("The mailbox was removed. Messages already fetched stay where they are.");
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostTestAsync(long accountId, CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(accountId, cancellationToken);
        var result = await coordinator.TestAsync(account, cancellationToken);
        ResultOk = result.Ok;
        ResultText = result.Ok
            ? $"“{account.Name}”: logged in. {result.Messages} message{(result.Messages == 1 ? "" : "s")} in {(account.Protocol == FetchProtocol.Imap ? account.Folder : "the mailbox")}; nothing was fetched."
            : $"“{account.Name}”: {result.Error}";
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostFetchAsync(long accountId, CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(accountId, cancellationToken);
        return await ReportAsync(account, await coordinator.FetchNowAsync(accountId, cancellationToken), cancellationToken);
    }

    private async Task<IActionResult> ReportAsync(FetchAccount account, FetchRunResult result, CancellationToken cancellationToken)
    {
        ResultOk = result.Ok && result.Failed == 0;
        ResultText = !result.Ok ? $"“{account.Name}”: {result.Error}"
            : $"“{account.Name}”: fetched {result.Stored} new message{(result.Stored == 1 ? "" : "s")}" +
              (result.Failed > 0 ? $"; {result.Failed} could not be stored and stay on the server (see below)." : ".");
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(long accountId, long failureId, CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(accountId, cancellationToken);
        return await ReportAsync(account, await coordinator.RetryAsync(accountId, failureId, cancellationToken), cancellationToken);
    }

    public static string Every(int seconds) => seconds switch
    {
        < 60 => $"{seconds} seconds",
        60 => "minute",
        < 3600 when seconds % 60 == 0 => $"{seconds / 60} minutes",
        3600 => "hour",
        _ when seconds % 3600 == 0 => $"{seconds / 3600} hours",
        _ => $"{seconds} seconds",
    };

    public static string AfterText(FetchAccount a) => a.AfterFetch switch
    {
        FetchAfterAction.Move => $"moved to {a.MoveToFolder}",
        FetchAfterAction.Delete => "deleted from the server",
        FetchAfterAction.Keep => "kept on the server",
        _ => "marked as read",
    };
}
