namespace Parley.Smtp;
internal static class AssemblyMarker;
