namespace Parley.Deliverability.Spf.Analysis;

/// <summary>Builds the one record a domain should publish: its own terms kept, the needed ones added.</summary>
public static class SpfRecordEditor
{
    /// <summary>TXT character-strings are at most 255 octets; longer records are published as several strings.</summary>
    public const int MaxStringLength = 255;

    /// <summary>
    /// Adds <paramref name="terms"/> to <paramref name="existing"/> (one or more SPF records; several are
    /// merged into one) before the first "all" or "redirect=", so they are evaluated. Terms already present
    /// are not repeated. With no existing record the result is "v=spf1 TERMS ~all".
    /// </summary>
    public static string AddTerms(IReadOnlyList<string> existing, IEnumerable<string> terms)
    {
        var toAdd = terms.ToList();
        if (existing.Count == 0)
        {
            return string.Join(' ', new[] { "v=spf1" }.Concat(toAdd).Append("~all"));
        }

        var tokens = Tokens(existing[0]);
        int insertAt = EndOfMechanisms(tokens);
        foreach (var other in existing.Skip(1))
        {
            foreach (var token in Tokens(other))
            {
                if (!IsAll(token) && !IsRedirect(token) && !Contains(tokens, token))
                {
                    tokens.Insert(insertAt++, token);
                }
            }
        }

        foreach (var term in toAdd)
        {
            if (!Contains(tokens, term))
            {
                tokens.Insert(insertAt++, term);
            }
        }

        return string.Join(' ', new[] { "v=spf1" }.Concat(tokens));
    }

    /// <summary>Splits a record into strings of at most 255 characters, preferring to cut after a space.</summary>
    public static IReadOnlyList<string> SplitForTxt(string record)
    {
        var parts = new List<string>();
        int start = 0;
        while (record.Length - start > MaxStringLength)
        {
            int cut = record.LastIndexOf(' ', start + MaxStringLength - 1, MaxStringLength);
            int end = cut > start ? cut + 1 : start + MaxStringLength;
            parts.Add(record[start..end]);
            start = end;
        }

        parts.Add(record[start..]);
        return parts;
    }

    /// <summary>Zone-file form: each string quoted, separated by a space.</summary>
    public static string ToZoneText(string record) =>
        string.Join(' ', SplitForTxt(record).Select(s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\""));

    private static List<string> Tokens(string record) =>
        record.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();

    private static int EndOfMechanisms(List<string> tokens)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            if (IsAll(tokens[i]) || IsRedirect(tokens[i]))
            {
                return i;
            }
        }

        return tokens.Count;
    }

    private static bool IsAll(string token) =>
        token.TrimStart('+', '-', '~', '?').Equals("all", StringComparison.OrdinalIgnoreCase);

    private static bool IsRedirect(string token) =>
        token.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase);

    private static bool Contains(List<string> tokens, string term)
    {
        var bare = term.TrimStart('+');
        return tokens.Any(t => t.TrimStart('+').Equals(bare, StringComparison.OrdinalIgnoreCase));
    }
}
