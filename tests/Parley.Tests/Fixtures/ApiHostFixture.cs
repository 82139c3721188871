using Parley.Core.Identity;
using Parley.Testing;

namespace Parley.Tests.Fixtures;

/// <summary>One started host per test class, with an admin, a token and the alias domain set.</summary>
public sealed class ApiHostFixture : IAsyncLifetime
{
    public ParleyHost Host { get; private set; } = null!;
    public User Admin { get; private set; } = null!;
    public string Token { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await ParleyHost.StartAsync();
        Admin = await Host.CreateUserAsync();
        Token = await Host.CreateTokenAsync(Admin.Id);
        await Host.SetAliasDomainAsync("mail.parley.test");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
