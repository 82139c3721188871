namespace Parley.Core.Common;

/// <summary>A count with its noun in the right number, for what users read ("1 row", "3 rows", "1,204 messages").</summary>
public static class Quantity
{
    /// <summary>The noun takes an "s" when the count is not one.</summary>
    public static string Of(long n, string noun) => Of(n, noun, noun + "s");

    /// <summary>For nouns (or phrases) whose plural is not the noun and an "s": "1 check fails", "2 checks fail".</summary>
    public static string Of(long n, string one, string many) => $"{n:N0} {(n == 1 ? one : many)}";
}
