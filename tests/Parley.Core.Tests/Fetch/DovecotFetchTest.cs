using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Fetch;

/// <summary>
/// Base of the mailbox fetch tests: a fresh SQLite database and a fresh Dovecot holding <see cref="User"/>'s mailbox
/// for each test, the Dovecot stopped before the database goes.
/// </summary>
public abstract class DovecotFetchTest(bool startTls) : DatabaseTest(SqliteDatabaseFactory.Instance), IAsyncLifetime
{
    protected const string User = "support@mail.test";
    protected const string Password = "s3cret-pass";

    protected DovecotPeer Dovecot { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Dovecot = await DovecotPeer.StartAsync(new Dictionary<string, string> { [User] = Password }, startTls: startTls);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Dovecot.DisposeAsync();
        await DisposeAsync();
    }
}
