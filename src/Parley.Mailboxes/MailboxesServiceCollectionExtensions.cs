using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Parley.Core.Fetch;

namespace Parley.Mailboxes;

public static class MailboxesServiceCollectionExtensions
{
    /// <summary>Registers the IMAP and POP3 clients (<see cref="MailboxConnector"/>) that Core's mailbox fetch logs in with.</summary>
    public static IServiceCollection AddParleyMailboxes(this IServiceCollection services)
    {
        services.TryAddSingleton<IMailboxConnector, MailboxConnector>();
        return services;
    }
}
