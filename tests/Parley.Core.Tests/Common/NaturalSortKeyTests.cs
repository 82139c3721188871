using Parley.Core.Common;

namespace Parley.Core.Tests.Common;

/// <summary>The stored key the contact list sorts by: numbers as numbers, case ignored, ordinal (byte) order.</summary>
public sealed class NaturalSortKeyTests
{
    [Fact]
    public void Numbers_compare_as_numbers_and_letters_without_case()
    {
        string[] expected = ["Bulk Person 2", "bulk person 13", "Bulk Person 013b", "Bulk Person 129", "Bulk Person 1000", "Bulk Personal", "Zoë"];
        var sorted = expected.Reverse().OrderBy(NaturalSortKey.Of, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, sorted);
    }

    [Fact]
    public void Leading_zeros_do_not_count_and_long_texts_are_cut()
    {
        Assert.Equal(NaturalSortKey.Of("Room 7"), NaturalSortKey.Of("room 007"));
        Assert.Equal("room 017", NaturalSortKey.Of(" Room 7 "));
        Assert.Equal(NaturalSortKey.MaxLength, NaturalSortKey.Of(new string('a', 1000)).Length);
    }
}
