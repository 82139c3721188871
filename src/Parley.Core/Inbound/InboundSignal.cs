using Parley.Core.Common;

namespace Parley.Core.Inbound;

/// <summary>Wakes the inbound router as soon as a message is stored.</summary>
public sealed class InboundSignal : WorkSignal;
