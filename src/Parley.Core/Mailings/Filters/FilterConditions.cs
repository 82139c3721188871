using System.Linq.Expressions;
using System.Reflection;

namespace Parley.Core.Mailings.Filters;

/// <summary>
/// The conditions a filter is made of, as expressions EF translates the same way on SQLite and PostgreSQL. Text is
/// compared in lower case (ASCII letters: SQLite's lower() leaves others as they are); values become query parameters,
/// never SQL text.
/// </summary>
internal static class FilterConditions
{
    private static readonly MethodInfo ToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo Concat = typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string), typeof(string)])!;
    private static readonly Expression NoText = Expression.Constant(null, typeof(string));

    public static Expression TextEquals(FilterField field, Expression read, bool negate, string value)
    {
        if (field.Kind == FilterFieldKind.Tags)
        {
            var tagged = HasTag(read, value);
            return negate ? Expression.Not(tagged) : tagged;
        }
        var lowered = Expression.Call(read, ToLower);
        return negate
            ? Expression.OrElse(Expression.Equal(read, NoText), Expression.NotEqual(lowered, Parameter(value.ToLowerInvariant())))
            : Expression.AndAlso(Expression.NotEqual(read, NoText), Expression.Equal(lowered, Parameter(value.ToLowerInvariant())));
    }

    public static Expression Contains(FilterField field, Expression read, string value)
    {
        return field.Kind switch
        {
            FilterFieldKind.Tags => HasTag(read, value),
            FilterFieldKind.Text => Expression.AndAlso(Expression.NotEqual(read, NoText),
                Expression.Call(Expression.Call(read, ToLower), StringContains, Parameter(value.ToLowerInvariant()))),
            _ => throw new InvalidOperationException("The parser refuses 'contains' on a number."),
        };
    }

    public static Expression IsEmpty(Expression read) =>
        Expression.OrElse(Expression.Equal(read, NoText), Expression.Equal(read, Expression.Constant("")));

    public static Expression Number(Expression read, string op, long value)
    {
        var right = Parameter(value);
        return op switch
        {
            "=" => Expression.Equal(read, right),
            "!=" => Expression.NotEqual(read, right),
            "<" => Expression.LessThan(read, right),
            "<=" => Expression.LessThanOrEqual(read, right),
            ">" => Expression.GreaterThan(read, right),
            _ => Expression.GreaterThanOrEqual(read, right),
        };
    }

    /// <summary>Tags are stored lower case and comma-separated: a tag matches a whole item, never part of one.</summary>
    private static Expression HasTag(Expression read, string tag) =>
        Expression.Call(Expression.Call(Concat, Expression.Constant(","), read, Expression.Constant(",")), StringContains,
            Parameter("," + tag.Trim().ToLowerInvariant() + ","));

    /// <summary>A captured value, as a lambda's closure would hold it: EF sends it as a parameter.</summary>
    private static MemberExpression Parameter<TValue>(TValue value) =>
        Expression.Property(Expression.Constant(new Captured<TValue>(value)), nameof(Captured<TValue>.Value));

    private sealed class Captured<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }
}
