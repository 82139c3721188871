using Parley.Core.Data;

namespace Parley.Data.Postgres;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for this provider (no server needed).</summary>
internal sealed class DesignTimeFactory() : DesignTimeDbContextFactory(PostgresStorage.Configure, "Host=localhost;Database=parley_design");
