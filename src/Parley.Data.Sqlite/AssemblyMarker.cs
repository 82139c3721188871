namespace Parley.Data.Sqlite;
internal static class AssemblyMarker;
