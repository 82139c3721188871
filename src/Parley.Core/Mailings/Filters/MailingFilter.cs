using System.Globalization;
using System.Linq.Expressions;

namespace Parley.Core.Mailings.Filters;

/// <summary>
/// The filter language of mailing audiences (docs/mailing-filters.md): comparisons of fields with values, joined by
/// <c>and</c>, <c>or</c>, <c>not</c> and parentheses, read into one EF expression the database runs — never rows
/// filtered in memory. Every input is bounded: its length, a text's length, the nesting depth and the number of
/// conditions, so a hostile filter is a clear error, not a stalled request.
/// </summary>
public static class MailingFilter
{
    public const int MaxLength = 2000;
    public const int MaxTextLength = 500;
    public const int MaxDepth = 20;
    public const int MaxConditions = 100;
    public const int MaxInValues = 100;

    public static Expression<Func<T, bool>> Parse<T>(string text, FilterFields<T> fields)
    {
        if (text.Length > MaxLength)
        {
            throw new FilterException($"A filter may have at most {MaxLength:N0} characters; this one has {text.Length:N0}.", MaxLength + 1);
        }
        var parser = new Parser<T>(FilterTokenizer.Tokenize(text), fields);
        var body = parser.ParseAll();
        return Expression.Lambda<Func<T, bool>>(body, parser.Row);
    }

    private sealed class Parser<T>(List<Token> tokens, FilterFields<T> fields)
    {
        private int position;
        private int depth;
        private int conditions;

        public ParameterExpression Row { get; } = Expression.Parameter(typeof(T), "row");

        private Token Current => tokens[position];

        public Expression ParseAll()
        {
            if (Current.Kind == TokenKind.End)
            {
                throw new FilterException("The filter is empty: write a condition such as language = \"fr\".", 1);
            }
            var body = Or();
            if (Current.Kind != TokenKind.End)
            {
                throw Expected("'and', 'or' or the end", Current);
            }
            return body;
        }

        private Expression Or() => Chain("or", And, Expression.OrElse);

        private Expression And() => Chain("and", Unary, Expression.AndAlso);

        /// <summary>Operands joined by <paramref name="word"/>, combined from the left.</summary>
        private Expression Chain(string word, Func<Expression> operand, Func<Expression, Expression, BinaryExpression> combine)
        {
            var left = operand();
            while (Current.Is(word))
            {
                position++;
                left = combine(left, operand());
            }
            return left;
        }

        private Expression Unary()
        {
            var token = Current;
            if (++depth > MaxDepth)
            {
                throw new FilterException($"The filter nests deeper than {MaxDepth} levels at column {token.Column}.", token.Column);
            }
            try
            {
                if (token.Is("not"))
                {
                    position++;
                    return Expression.Not(Unary());
                }
                if (token.Is("("))
                {
                    position++;
                    var inner = Or();
                    Expect(")");
                    return inner;
                }
                return Condition();
            }
            finally
            {
                depth--;
            }
        }

        private Expression Condition()
        {
            var name = Current;
            if (name.Kind != TokenKind.Name || IsKeyword(name.Value))
            {
                throw Expected("a field name", name);
            }
            if (++conditions > MaxConditions)
            {
                throw new FilterException($"A filter may have at most {MaxConditions} conditions.", name.Column);
            }
            var field = fields.Find(name.Value)
                ?? throw new FilterException($"Unknown field '{name.Value}' at column {name.Column}; fields: {string.Join(", ", fields.Names)}.", name.Column);
            position++;
            var read = new RowReplacer(field.Read.Parameters[0], Row).Visit(field.Read.Body);
            var op = Current;
            position++;
            if (field.Kind == FilterFieldKind.Number && (op.Is("is") || op.Is("contains")))
            {
                throw new FilterException($"'{field.Name}' is a number: use =, !=, <, <=, >, >= or in (column {op.Column}).", op.Column);
            }
            if (op.Is("is"))
            {
                var negate = Current.Is("not");
                if (negate)
                {
                    position++;
                }
                Expect("empty");
                var empty = FilterConditions.IsEmpty(read);
                return negate ? Expression.Not(empty) : empty;
            }
            if (op.Is("contains"))
            {
                return FilterConditions.Contains(field, read, TextValue(field));
            }
            if (op.Is("in"))
            {
                Expect("(");
                var any = Compare(field, read, "=");
                for (var count = 1; Current.Is(","); count++)
                {
                    if (count >= MaxInValues)
                    {
                        throw new FilterException($"'in' takes at most {MaxInValues} values (column {Current.Column}).", Current.Column);
                    }
                    position++;
                    any = Expression.OrElse(any, Compare(field, read, "="));
                }
                Expect(")");
                return any;
            }
            if (op.Kind == TokenKind.Symbol && op.Value is "=" or "!=" or "<" or "<=" or ">" or ">=")
            {
                return Compare(field, read, op.Value);
            }
            throw Expected("an operator (=, !=, <, <=, >, >=, contains, in, is empty)", op);
        }

        private Expression Compare(FilterField field, Expression read, string op)
        {
            var value = Current;
            if (field.Kind == FilterFieldKind.Number)
            {
                if (value.Kind != TokenKind.Number || !long.TryParse(value.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    throw new FilterException($"'{field.Name}' is a number: expected a whole number at column {value.Column}, found {value.Shown}.", value.Column);
                }
                position++;
                return FilterConditions.Number(read, op, number);
            }
            if (op is not ("=" or "!="))
            {
                throw new FilterException($"'{field.Name}' is text: compare it with =, !=, contains or in (column {value.Column}).", value.Column);
            }
            return FilterConditions.TextEquals(field, read, op == "!=", TextValue(field));
        }

        private string TextValue(FilterField field)
        {
            var value = Current;
            if (value.Kind != TokenKind.Text)
            {
                throw new FilterException($"'{field.Name}' takes text in double quotes at column {value.Column}, found {value.Shown}.", value.Column);
            }
            position++;
            return value.Value;
        }

        private void Expect(string word)
        {
            if (!Current.Is(word))
            {
                throw Expected($"'{word}'", Current);
            }
            position++;
        }

        private static FilterException Expected(string what, Token found) =>
            new($"Expected {what} at column {found.Column}, found {found.Shown}.", found.Column);

        private static bool IsKeyword(string word) => word.ToLowerInvariant() is "and" or "or" or "not" or "in" or "is" or "empty" or "contains";
    }

    private sealed class RowReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
