using System.Text;
using Parley.Core.Contacts;

namespace Parley.Core.Tests.Contacts;

/// <summary>The mbox export's quoting (mboxrd): a body line that starts with "From " cannot start a new message.</summary>
public sealed class ContactMboxTests
{
    [Fact]
    public void From_lines_are_quoted_once_more_and_line_ends_become_lf()
    {
        var raw = Encoding.ASCII.GetBytes("Subject: Hi\r\n\r\nFrom here on\r\n>From there\r\nFromage\r\nlast");
        var quoted = Encoding.ASCII.GetString(ContactMbox.Quoted(raw));
        Assert.Equal("Subject: Hi\n\n>From here on\n>>From there\nFromage\nlast\n", quoted);
    }
}
