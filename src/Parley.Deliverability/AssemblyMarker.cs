namespace Parley.Deliverability;
internal static class AssemblyMarker;
