using System.Globalization;
using System.Text;

namespace Parley.Core.Common;

/// <summary>
/// A text's key for sorting it as people read it: numbers compare as numbers ("Bulk Person 2", "Bulk Person 13",
/// "Bulk Person 129"), letters without regard to case. It is stored beside the text and computed when the text is set,
/// so the database sorts and pages on an ordinary column (SQLite and PostgreSQL alike; on PostgreSQL the column has
/// the "C" collation, so byte order, as on SQLite). Each run of digits becomes its length in two digits, then the
/// digits without leading zeros: "13" is "0213", "129" is "03129", and a shorter number sorts first.
/// </summary>
public static class NaturalSortKey
{
    /// <summary>The longest key kept; texts that only differ past it sort by id.</summary>
    public const int MaxLength = 400;

    public static string Of(string? text)
    {
        var source = (text ?? "").Trim().ToLowerInvariant();
        var key = new StringBuilder(source.Length + 8);
        for (var i = 0; i < source.Length && key.Length < MaxLength;)
        {
            if (!char.IsAsciiDigit(source[i]))
            {
                key.Append(source[i]);
                i++;
                continue;
            }

            var start = i;
            while (i < source.Length && char.IsAsciiDigit(source[i]))
            {
                i++;
            }

            var digits = source.AsSpan(start, i - start).TrimStart('0');
            if (digits.IsEmpty)
            {
                digits = "0";
            }

            // Numbers of more than 99 digits are cut to 99: nobody names a contact with one.
            digits = digits[..Math.Min(digits.Length, 99)];
            key.Append(digits.Length.ToString("00", CultureInfo.InvariantCulture)).Append(digits);
        }
        return key.Length > MaxLength ? key.ToString(0, MaxLength) : key.ToString();
    }
}
