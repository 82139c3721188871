namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>The tests on PostgreSQL share Parley.Testing's one cluster; each makes its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = PostgresFixture.Collection;
}
