namespace Parley.Core.Mailings.Filters;

/// <summary>A filter that cannot be read or does not fit the record type: the message names the column (1-based) and, for a
/// field, the known field names, so the user can fix it where it is.</summary>
public sealed class FilterException(string message, int column) : Exception(message)
{
    public int Column { get; } = column;
}

internal enum TokenKind { Name, Text, Number, Symbol, End }

internal readonly record struct Token(TokenKind Kind, string Value, int Column)
{
    public bool Is(string word) => Kind is TokenKind.Name or TokenKind.Symbol && string.Equals(Value, word, StringComparison.OrdinalIgnoreCase);

    public string Shown => Kind switch
    {
        TokenKind.End => "the end",
        TokenKind.Text => $"\"{Value}\"",
        _ => $"'{Value}'",
    };
}

/// <summary>Splits a filter into tokens: names (<c>customer.language</c>), "quoted text", numbers, operators, parentheses and commas.</summary>
internal static class FilterTokenizer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var column = i + 1;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }
                tokens.Add(new Token(TokenKind.Name, text[start..i], column));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }
                tokens.Add(new Token(TokenKind.Number, text[start..i], column));
            }
            else if (c == '"')
            {
                tokens.Add(new Token(TokenKind.Text, ReadText(text, ref i), column));
            }
            else if (c is '<' or '>' or '!' or '=')
            {
                var two = i + 1 < text.Length && text[i + 1] == '=';
                var symbol = two ? text.Substring(i, 2) : c.ToString();
                if (symbol == "!")
                {
                    throw new FilterException($"'!' at column {column} must be followed by '=' (not equal).", column);
                }
                tokens.Add(new Token(TokenKind.Symbol, symbol, column));
                i += symbol.Length;
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString(), column));
                i++;
            }
            else
            {
                throw new FilterException($"Unexpected character '{c}' at column {column}; text goes in double quotes.", column);
            }
        }
        tokens.Add(new Token(TokenKind.End, "", text.Length + 1));
        return tokens;
    }

    private static string ReadText(string text, ref int i)
    {
        var column = i + 1;
        var value = new System.Text.StringBuilder();
        i++;
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '"')
            {
                if (value.Length > MailingFilter.MaxTextLength)
                {
                    throw new FilterException($"The text at column {column} is longer than {MailingFilter.MaxTextLength} characters.", column);
                }
                return value.ToString();
            }
            if (c == '\\' && i < text.Length)
            {
                c = text[i++];
            }
            value.Append(c);
        }
        throw new FilterException($"The text that starts at column {column} has no closing '\"'.", column);
    }
}
