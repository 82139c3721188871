using Microsoft.AspNetCore.Mvc;
using Parley.Core.Aliases;
using Parley.Core.Common;
using Parley.Core.Settings;

namespace Parley.Pages.Inbound;

/// <summary>The form fields of "Add an alias".</summary>
public sealed class AliasForm
{
    public string? LocalPart { get; set; }
    public AliasContactPolicy ContactPolicy { get; set; } = AliasContactPolicy.Everyone;
}

/// <summary>Aliases on the alias domain (support@, sales@…): who may start a conversation through each; add, change, delete.</summary>
public sealed class AliasesModel(AliasService aliases, SettingsService settings) : ParleyPageModel
{
    public List<MailAlias> Aliases { get; private set; } = [];
    public string? AliasDomain { get; private set; }
    [BindProperty] public AliasForm Alias { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Aliases = await aliases.ListAsync(cancellationToken);
        AliasDomain = await settings.GetAliasDomainAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        MailAlias? created = null;
        if (await TryAsync(async () => created = await aliases.CreateAsync(Alias.LocalPart, null, Alias.ContactPolicy, cancellationToken), nameof(Alias)))
        {
            Flash($"{created!.LocalPart}@ is ready: {PolicyName(created.ContactPolicy).ToLowerInvariant()} can start a conversation through it.");
            return RedirectToPage();
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPolicyAsync(long aliasId, AliasContactPolicy contactPolicy, CancellationToken cancellationToken)
    {
        MailAlias? changed = null;
        if (await TryAsync(async () => changed = await aliases.SetPolicyAsync(aliasId, contactPolicy, cancellationToken), PolicyErrorPrefix(aliasId)))
        {
            Flash($"{changed!.LocalPart}@: {PolicyName(changed.ContactPolicy).ToLowerInvariant()} can now start a conversation through it.");
            return RedirectToPage();
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(long aliasId, string? localPart, CancellationToken cancellationToken)
    {
        try
        {
            await aliases.DeleteAsync(aliasId, cancellationToken);
            Flash($"{localPart}@ was deleted. Mail to it is now handled like mail to any unknown address.");
        }
        catch (NotFoundException)
        {
            Flash("That alias had already been deleted.");
        }
        return RedirectToPage();
    }

    public static string PolicyErrorPrefix(long aliasId) => $"Alias{aliasId}";

    /// <summary>Who may start a conversation, in plain words.</summary>
    public static string PolicyName(AliasContactPolicy policy) => policy switch
    {
        AliasContactPolicy.KnownContacts => "Only known contacts",
        AliasContactPolicy.Followers => "Only followers",
        _ => "Anyone",
    };

    public static string PolicyExplained(AliasContactPolicy policy) => policy switch
    {
        AliasContactPolicy.KnownContacts => "Mail from an address that is already one of your contacts goes to that contact's thread. Anyone else's waits in Inbound mail for you to assign.",
        AliasContactPolicy.Followers => "Only people who follow a conversation (and your team) can write; their mail goes to their contact thread. Anyone else's waits in Inbound mail.",
        _ => "Mail from any sender goes to the sender's contact thread; a new sender becomes a contact.",
    };
}
