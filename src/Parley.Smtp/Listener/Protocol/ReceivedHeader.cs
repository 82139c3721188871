using System.Globalization;
using System.Net;
using System.Text;

namespace Parley.Smtp.Listener.Protocol;

/// <summary>Builds the Received trace header (RFC 5321 §4.4) the listener prepends to each message.</summary>
internal static class ReceivedHeader
{
    public static byte[] Build(
        string serverName, string helo, IPAddress client, bool esmtp, bool tls, bool smtpUtf8,
        string id, IReadOnlyList<string> recipients, DateTimeOffset receivedAt)
    {
        // Protocol names from RFC 3848 and RFC 6531.
        var protocol = (smtpUtf8 ? "UTF8SMTP" : esmtp ? "ESMTP" : "SMTP") + (tls ? "S" : string.Empty);
        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        var literal = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"IPv6:{address}" : address.ToString();
        var builder = new StringBuilder(256);
        builder.Append("Received: from ").Append(Clean(helo)).Append(" ([").Append(literal).Append("])\r\n");
        builder.Append("\tby ").Append(serverName).Append(" (Parley) with ").Append(protocol).Append(" id ").Append(id);
        if (recipients.Count == 1)
        {
            // Only for a single recipient, so one recipient's copy does not reveal the others (RFC 5321 §7.2).
            builder.Append("\r\n\tfor <").Append(Clean(recipients[0])).Append('>');
        }

        var utc = receivedAt.ToUniversalTime();
        builder.Append(";\r\n\t").Append(utc.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture)).Append("\r\n");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    // The HELO name is client-controlled; keep the header well-formed whatever it says.
    private static string Clean(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsControl(c) || c is '(' or ')' or ';' ? '_' : c);
        }

        return builder.Length == 0 ? "unknown" : builder.ToString();
    }
}
