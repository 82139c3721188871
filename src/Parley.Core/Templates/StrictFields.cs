using Fluid;
using Fluid.Values;

namespace Parley.Core.Templates;

/// <summary>
/// The fields of <c>record</c> or <c>user</c> as Liquid sees them. Unlike a plain dictionary, a
/// name that does not exist is remembered, so a typo such as <c>record.nmae</c> becomes an error
/// instead of an email that says "Hello ,".
/// </summary>
internal sealed class StrictFields(string prefix, IReadOnlyDictionary<string, object?> fields, TemplateOptions options, List<string> unknown) : IFluidIndexable
{
    public int Count => fields.Count;

    public IEnumerable<string> Keys => fields.Keys;

    public bool TryGetValue(string name, out FluidValue value)
    {
        if (fields.TryGetValue(name, out var raw))
        {
            value = FluidValue.Create(raw, options);
            return true;
        }
        unknown.Add($"{prefix}.{name}");
        value = NilValue.Instance;
        return false;
    }
}
