using System.Text;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Parley.Core.Templates;

/// <summary>A name a template uses that its record type does not have, and every place it is written.</summary>
public sealed record UnknownName(string Name, IReadOnlyList<(int Line, int Column)> Places);

/// <summary>
/// Finds, before a template is saved, every name it uses that does not exist: a field its record type lacks
/// (<c>record.nmae</c>), a user field other than name and email, or a variable the template never defines. It reads
/// the parsed template, so a name in a branch that no sample record would render is found too; the places come from
/// the source text, where the name is written inside <c>{{ }}</c> or <c>{% %}</c>.
/// </summary>
public static partial class TemplateNameCheck
{
    private static readonly string[] UserFields = ["name", "email"];

    /// <summary>Liquid's own names, and the loop variables it defines inside for and tablerow.</summary>
    private static readonly HashSet<string> BuiltIn = ["record", "user", "forloop", "tablerowloop", "empty", "blank", "nil", "null", "true", "false"];

    public static IReadOnlyList<UnknownName> Find(IFluidTemplate template, string source, IEnumerable<string> recordFields)
    {
        var walker = new NameWalker();
        walker.VisitTemplate(template);
        var fields = recordFields.ToHashSet(StringComparer.Ordinal);
        var unknown = new List<(string Key, string Name, Regex Pattern)>();
        foreach (var path in walker.Paths)
        {
            if (path.Count == 0 || path[0] is not { } root)
            {
                continue;
            }

            if (root is "record" or "user")
            {
                var field = path.Count < 2 ? null : path[1];
                if (field is null)
                {
                    continue;
                }

                if (root == "record" ? fields.Contains(field) : UserFields.Contains(field))
                {
                    continue;
                }

                unknown.Add(($"{root}.{field}", $"{root}.{field}", MemberPattern(root, field)));
            }
            else if (!BuiltIn.Contains(root) && !walker.Defined.Contains(root))
            {
                // One entry per unknown variable, named as first written ("order.number"); its places are all of them.
                unknown.Add((root, string.Join('.', path.TakeWhile(p => p is not null)), MemberPattern(root, null)));
            }
        }

        var (code, strings) = LiquidCode(source);
        return unknown.DistinctBy(u => u.Key)
            .Select(u => new UnknownName(u.Name, u.Pattern.Matches(code).Where(m => !strings[m.Index]).Select(m => Place(source, m.Index)).ToList()))
            .OrderBy(u => u.Places.Count > 0 ? u.Places[0] : (int.MaxValue, 0))
            .ToList();
    }

    /// <summary>"record.nmae", or just "order" when the root is unknown; also <c>record["nmae"]</c>.</summary>
    private static Regex MemberPattern(string root, string? field) => new(
        field is null
            ? $@"(?<![\w.\-]){Regex.Escape(root)}(?![\w\-])"
            : $@"(?<![\w.\-]){Regex.Escape(root)}\s*(?:\.\s*{Regex.Escape(field)}(?![\w\-])|\[\s*[""']{Regex.Escape(field)}[""']\s*\])",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static (int Line, int Column) Place(string source, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (source[i] != '\n')
            {
                continue;
            }

            line++;
            lineStart = i + 1;
        }
        return (line, index - lineStart + 1);
    }

    /// <summary>
    /// The source with everything but Liquid code blanked out (text between tags, raw and comment blocks), same length,
    /// so a match's index is its place in the source; and which of its characters are inside a string literal.
    /// </summary>
    private static (string Code, bool[] InString) LiquidCode(string source)
    {
        var code = new StringBuilder(new string(' ', source.Length));
        var strings = new bool[source.Length];
        var i = 0;
        while (i < source.Length)
        {
            var open = source.IndexOf('{', i);
            if (open < 0 || open + 1 >= source.Length)
            {
                break;
            }

            var kind = source[open + 1];
            if (kind is not ('{' or '%'))
            {
                i = open + 1;
                continue;
            }
            var close = kind == '{' ? "}}" : "%}";
            var end = EndOfTag(source, open + 2, close);
            for (var j = open; j < end; j++)
            {
                code[j] = source[j];
            }

            MarkStrings(source, strings, open + 2, end);
            i = end;
            if (kind == '%' && BlockToSkip().Match(source, open, end - open) is { Success: true } block)
            {
                i = SkipBlock(source, end, block.Groups[1].Value);
            }
        }
        return (code.ToString(), strings);
    }

    private static int EndOfTag(string source, int from, string close)
    {
        char? quote = null;
        for (var i = from; i < source.Length - 1; i++)
        {
            var c = source[i];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == close[0] && source[i + 1] == close[1])
            {
                return i + 2;
            }
        }
        return source.Length;
    }

    private static void MarkStrings(string source, bool[] strings, int from, int to)
    {
        char? quote = null;
        for (var i = from; i < to; i++)
        {
            var c = source[i];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    strings[i] = true;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
        }
    }

    /// <summary>After <c>{% raw %}</c> or <c>{% comment %}</c>: where its end tag ends (nothing inside is code).</summary>
    private static int SkipBlock(string source, int from, string name)
    {
        var end = new Regex($@"\{{%-?\s*end{name}\s*-?%\}}", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)).Match(source, from);
        return end.Success ? end.Index + end.Length : source.Length;
    }

    [GeneratedRegex(@"\G\{%-?\s*(raw|comment)\s*-?%\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BlockToSkip();

    /// <summary>Every member path the template reads (null for a segment that is not a plain name), and every name it defines.</summary>
    private sealed class NameWalker : AstVisitor
    {
        /// <summary>A string literal's value does not depend on a context; Fluid asks for one anyway.</summary>
        private static readonly TemplateContext Literals = new();

        public List<List<string?>> Paths { get; } = [];
        public HashSet<string> Defined { get; } = new(StringComparer.Ordinal);

        protected override Expression VisitMemberExpression(MemberExpression memberExpression)
        {
            Paths.Add(memberExpression.Segments.Select(Name).ToList());
            return base.VisitMemberExpression(memberExpression);
        }

        private static string? Name(MemberSegment segment) => segment switch
        {
            IdentifierSegment id => id.Identifier,
            IndexerSegment { Expression: LiteralExpression { Value: StringValue text } } => text.ToStringValue(Literals),
            _ => null,
        };

        protected override Statement VisitAssignStatement(AssignStatement assignStatement) => Define(assignStatement.Identifier, () => base.VisitAssignStatement(assignStatement));

        protected override Statement VisitCaptureStatement(CaptureStatement captureStatement) => Define(captureStatement.Identifier, () => base.VisitCaptureStatement(captureStatement));

        protected override Statement VisitForStatement(ForStatement forStatement) => Define(forStatement.Identifier, () => base.VisitForStatement(forStatement));

        protected override Statement VisitTableRowStatement(TableRowStatement tableRowStatement) => Define(tableRowStatement.Identifier, () => base.VisitTableRowStatement(tableRowStatement));

        protected override Statement VisitIncrementStatement(IncrementStatement incrementStatement) => Define(incrementStatement.Identifier, () => base.VisitIncrementStatement(incrementStatement));

        protected override Statement VisitDecrementStatement(DecrementStatement decrementStatement) => Define(decrementStatement.Identifier, () => base.VisitDecrementStatement(decrementStatement));

        protected override Statement VisitMacroStatement(MacroStatement macroStatement)
        {
            foreach (var argument in macroStatement.Arguments)
            {
                Defined.Add(argument.Name);
            }

            return Define(macroStatement.Identifier, () => base.VisitMacroStatement(macroStatement));
        }

        private Statement Define(string name, Func<Statement> visit)
        {
            Defined.Add(name);
            return visit();
        }
    }
}
