using System.Text;
using MimeKit;

namespace Parley.Core.Tests.Fixtures;

public static class MimeText
{
    public static MimeMessage Parse(byte[] raw)
    {
        using var stream = new MemoryStream(raw);
        return MimeMessage.Load(stream);
    }

    /// <summary>The header block as sent, unfolded, one header per entry.</summary>
    public static string[] HeaderLines(byte[] raw)
    {
        var text = Encoding.UTF8.GetString(raw).Replace("\r\n", "\n");
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        var block = end < 0 ? text : text[..end];
        return block.Replace("\n ", " ").Replace("\n\t", " ").Split('\n');
    }

    public static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n").Replace("\n", "\r\n")));
}
