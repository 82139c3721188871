namespace Parley.Data.Postgres;
internal static class AssemblyMarker;
