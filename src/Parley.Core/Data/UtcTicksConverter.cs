using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Parley.Core.Data;

/// <summary>Stores a DateTimeOffset as UTC ticks (a 64-bit integer), comparable in SQL on every provider.</summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
