namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>The browser tests share Parley.Testing's one Chromium; each opens its own page.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = BrowserFixture.Collection;
}
