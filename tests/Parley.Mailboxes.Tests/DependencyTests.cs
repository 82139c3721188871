using System.Reflection;
using Parley.Core.Fetch;

namespace Parley.Mailboxes.Tests;

/// <summary>ADR 0001 and 0011 as a test: the protocols stay out of Core, the database stays out of the protocols.</summary>
public sealed class DependencyTests
{
    private static IEnumerable<string> ReferencesOf(Type type) =>
        type.Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "");

    [Fact]
    public void Core_uses_no_mail_protocol_client()
    {
        var references = ReferencesOf(typeof(IMailboxConnector)).ToList();
        Assert.DoesNotContain("MailKit", references);
        Assert.Contains("MimeKit", references); // parsing and composing messages is Core's (ADR 0001)
    }

    [Fact]
    public void The_mailbox_clients_use_no_database()
    {
        var references = ReferencesOf(typeof(MailboxConnector)).ToList();
        Assert.Contains("MailKit", references);
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }
}
