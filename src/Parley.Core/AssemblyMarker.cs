namespace Parley.Core;
internal static class AssemblyMarker;
