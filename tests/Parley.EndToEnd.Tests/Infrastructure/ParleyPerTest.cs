namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A fresh Parley with <paramref name="aliasDomain"/> set for each test of a class (xunit makes a new instance per
/// test), stopped after it: for the tests that count what arrived or was sent, which another test's mail would disturb.
/// </summary>
public abstract class ParleyPerTest(string aliasDomain) : IAsyncLifetime
{
    protected ParleyHost Parley { get; private set; } = null!;

    public async Task InitializeAsync() => Parley = await StartAsync();

    /// <summary>Starts this class's Parley, with what every one of its tests needs set up.</summary>
    protected virtual Task<ParleyHost> StartAsync() => ParleyApi.ServeWithAliasDomainAsync(aliasDomain);

    public virtual async Task DisposeAsync() => await Parley.DisposeAsync();
}
