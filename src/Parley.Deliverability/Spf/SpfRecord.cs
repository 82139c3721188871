namespace Parley.Deliverability.Spf;

/// <summary>A syntactically valid SPF record, parsed once and evaluated many times.</summary>
public sealed class SpfRecord
{
    internal SpfRecord(string text, IReadOnlyList<SpfTerm> terms)
    {
        Text = text;
        Terms = terms;
        var mechanisms = new List<SpfMechanism>();
        foreach (var term in terms)
        {
            switch (term)
            {
                case SpfMechanism m:
                    mechanisms.Add(m);
                    break;
                case SpfModifier { Name: var n } r when n.Equals("redirect", StringComparison.OrdinalIgnoreCase):
                    Redirect = r;
                    break;
                case SpfModifier { Name: var n } e when n.Equals("exp", StringComparison.OrdinalIgnoreCase):
                    Explanation = e;
                    break;
            }
        }

        Mechanisms = mechanisms;
    }

    public string Text { get; }

    /// <summary>All terms in record order (the version is not a term).</summary>
    public IReadOnlyList<SpfTerm> Terms { get; }

    public IReadOnlyList<SpfMechanism> Mechanisms { get; }

    public SpfModifier? Redirect { get; }

    public SpfModifier? Explanation { get; }

    public override string ToString() => Text;
}

/// <summary>Where and why a record is not valid SPF.</summary>
public sealed record SpfSyntaxError(string Message, int Position, string? Term);

/// <summary>Either a record or the first syntax error found in it.</summary>
public sealed record SpfParseResult(SpfRecord? Record, SpfSyntaxError? Error)
{
    public bool IsValid => Record is not null;
}
