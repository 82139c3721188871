namespace Parley.Deliverability.Dmarc;

/// <summary>Rewrites a DMARC record's tags while keeping the others as written, for the doctor's fixes.</summary>
public static class DmarcRecordEditor
{
    public static string SetTag(string record, string tag, string value)
    {
        var tags = Split(record);
        int index = tags.FindIndex(t => t.Name == tag);
        if (index >= 0)
        {
            tags[index] = (tag, value);
        }
        else
        {
            // p= belongs right after v=; other tags go at the end.
            tags.Insert(tag == "p" ? Math.Min(1, tags.Count) : tags.Count, (tag, value));
        }

        return Join(tags);
    }

    public static string RemoveTags(string record, IEnumerable<string> names)
    {
        var remove = names.ToHashSet(StringComparer.Ordinal);
        return Join(Split(record).Where(t => !remove.Contains(t.Name)).ToList());
    }

    private static List<(string Name, string Value)> Split(string record)
    {
        var tags = new List<(string, string)>();
        foreach (var part in record.Split(';'))
        {
            var piece = part.Trim();
            int eq = piece.IndexOf('=');
            if (eq > 0)
            {
                tags.Add((piece[..eq].Trim().ToLowerInvariant(), piece[(eq + 1)..].Trim()));
            }
        }

        if (tags.Count == 0 || tags[0].Item1 != "v")
        {
            tags.Insert(0, ("v", "DMARC1"));
        }

        return tags;
    }

    private static string Join(List<(string Name, string Value)> tags) =>
        string.Join("; ", tags.Select(t => (t.Name == "v" ? "v" : t.Name) + "=" + t.Value));
}
