using Fluid;
using Fluid.Values;

namespace Parley.Core.Templates;

/// <summary>
/// Counts the characters held by a render's variables. Each value is bounded by the output limit, but two thousand
/// assigns of a value just under it would still keep gigabytes alive; this bounds their sum.
/// </summary>
internal sealed class VariableBudget(long max, Func<Exception> exceeded)
{
    private const int MaxDepth = 4;
    private readonly Dictionary<string, long> _sizes = new(StringComparer.OrdinalIgnoreCase);
    private long _total;

    public void Watch(TemplateContext context)
    {
        context.Assigned = Keep;
        context.Captured = Keep;
    }

    private ValueTask<FluidValue> Keep(string identifier, FluidValue value, TemplateContext context)
    {
        var size = SizeOf(value, context, 0);
        _total += size - _sizes.GetValueOrDefault(identifier);
        _sizes[identifier] = size;
        if (_total > max)
        {
            throw exceeded();
        }

        return ValueTask.FromResult(value);
    }

    private static long SizeOf(FluidValue value, TemplateContext context, int depth) => value switch
    {
        StringValue s => s.ToStringValue(context).Length,
        ArrayValue a when depth < MaxDepth => a.Values.Sum(v => SizeOf(v, context, depth + 1)),
        _ => 1,
    };
}
