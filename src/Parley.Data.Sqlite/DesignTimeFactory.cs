using Parley.Core.Data;

namespace Parley.Data.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for this provider.</summary>
internal sealed class DesignTimeFactory() : DesignTimeDbContextFactory(SqliteStorage.Configure, "Data Source=design.db");
