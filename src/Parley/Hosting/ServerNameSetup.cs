using Microsoft.Extensions.Options;
using Parley.Core.Settings;
using Parley.Smtp.Delivery;
using Parley.Smtp.Listener;

namespace Parley.Hosting;

/// <summary>
/// Gives the listener (greeting, EHLO reply, Received header) and the SMTP client (EHLO to MX hosts and relays) the
/// installation's one host name, <see cref="ServerName"/>, and the new one when it changes: the listener reads its
/// name for each reply, the client for each new session. The certificate follows it in <see cref="SmtpTlsSetup"/>.
/// </summary>
internal sealed class ServerNameSetup(ServerName serverName) : IPostConfigureOptions<SmtpListenerOptions>, IPostConfigureOptions<SmtpDeliveryOptions>
{
    public void PostConfigure(string? name, SmtpListenerOptions options) => Configure(options);

    public void PostConfigure(string? name, SmtpDeliveryOptions options) => Configure(options);

    public void Configure(SmtpListenerOptions options)
    {
        options.ServerName = serverName.Current;
        serverName.Changed += name => options.ServerName = name;
    }

    public void Configure(SmtpDeliveryOptions options)
    {
        options.HeloName = serverName.Current;
        serverName.Changed += name => options.HeloName = name;
    }
}
