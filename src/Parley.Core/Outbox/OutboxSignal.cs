using Parley.Core.Common;

namespace Parley.Core.Outbox;

/// <summary>Wakes the delivery worker as soon as something is queued.</summary>
public sealed class OutboxSignal : WorkSignal;
