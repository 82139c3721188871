using System.Linq.Expressions;

namespace Parley.Core.Mailings.Filters;

/// <summary>What a filter field is: text (compared without regard to case), a whole number, or a comma-separated tag list.</summary>
public enum FilterFieldKind { Text, Number, Tags }

/// <summary>One field a filter may name, with the expression that reads it from a row (translated to SQL by EF).</summary>
public sealed record FilterField(string Name, FilterFieldKind Kind, LambdaExpression Read);

/// <summary>The fields a filter over rows of <typeparamref name="T"/> may name, in the order errors list them.</summary>
public sealed class FilterFields<T>
{
    private readonly Dictionary<string, FilterField> byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> names = [];

    public FilterFields<T> Text(string name, Expression<Func<T, string?>> read) => Add(new FilterField(name, FilterFieldKind.Text, read));

    public FilterFields<T> Number(string name, Expression<Func<T, long>> read) => Add(new FilterField(name, FilterFieldKind.Number, read));

    public FilterFields<T> Tags(string name, Expression<Func<T, string>> read) => Add(new FilterField(name, FilterFieldKind.Tags, read));

    public IReadOnlyList<string> Names => names;

    public FilterField? Find(string name) => byName.GetValueOrDefault(name);

    private FilterFields<T> Add(FilterField field)
    {
        byName.Add(field.Name, field);
        names.Add(field.Name);
        return this;
    }
}
