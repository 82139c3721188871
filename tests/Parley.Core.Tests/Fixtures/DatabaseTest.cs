namespace Parley.Core.Tests.Fixtures;

/// <summary>
/// Base of the integration tests that run on every provider: each test gets its own fresh,
/// migrated database (xunit makes one class instance per test), so no test sees another's data.
/// </summary>
public abstract class DatabaseTest(IDatabaseFactory factory) : IAsyncLifetime
{
    protected TestEnv Env { get; private set; } = null!;

    protected IDatabaseFactory Factory { get; } = factory;

    public async Task InitializeAsync() => Env = await TestEnv.CreateAsync(Factory);

    public async Task DisposeAsync() => await Env.DisposeAsync();
}
