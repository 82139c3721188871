using System.Text;
using MimeKit;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>What smtp-sink dumped, read as the MIME message a receiver gets (long headers unfolded, addresses parsed).</summary>
public static class SinkMessageMime
{
    public static MimeMessage Mime(this SinkMessage message) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(message.Message)));
}
