using System.Text.Encodings.Web;
using Fluid;
using Fluid.Values;

namespace Parley.Core.Templates;

/// <summary>
/// The fields of <c>record</c> or <c>user</c> as Liquid sees them. Unlike a plain dictionary, a
/// name that does not exist is remembered, so a typo such as <c>record.nmae</c> becomes an error
/// instead of an email that says "Hello ,".
/// </summary>
internal sealed class StrictFields(string prefix, IReadOnlyDictionary<string, object?> fields, TemplateOptions options, List<string> unknown) : FluidValue
{
    // Fluid's own dictionary value does everything else (output, loops, comparisons); only lookups are ours.
    private readonly FluidValue _inner = FluidValue.Create(fields.ToDictionary(f => f.Key, f => f.Value), options);

    public override FluidValues Type => _inner.Type;

    public override ValueTask<FluidValue> GetValueAsync(string name, TemplateContext context)
    {
        if (fields.TryGetValue(name, out var raw))
        {
            return ValueTask.FromResult(FluidValue.Create(raw, options));
        }

        unknown.Add($"{prefix}.{name}");
        return ValueTask.FromResult<FluidValue>(NilValue.Instance);
    }

    public override bool Equals(FluidValue other) => ReferenceEquals(this, other) || _inner.Equals(other);

    public override bool ToBooleanValue(TemplateContext context) => _inner.ToBooleanValue(context);

    public override decimal ToNumberValue(TemplateContext context) => _inner.ToNumberValue(context);

    public override string ToStringValue(TemplateContext context) => _inner.ToStringValue(context);

    public override object ToObjectValue(TemplateContext context) => _inner.ToObjectValue(context);

    public override ValueTask WriteToAsync(IFluidOutput output, TextEncoder encoder, TemplateContext context) => _inner.WriteToAsync(output, encoder, context);

    public override IAsyncEnumerable<FluidValue> EnumerateAsync(TemplateContext context) => _inner.EnumerateAsync(context);

    public override ValueTask<bool> ContainsAsync(FluidValue value, TemplateContext context) => _inner.ContainsAsync(value, context);

    public override bool Equals(object? obj) => obj is FluidValue other && Equals(other);

    public override int GetHashCode() => _inner.GetHashCode();
}
