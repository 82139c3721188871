using MimeKit;

namespace Parley.Core.Inbound;

/// <summary>What the authenticator needs: the parsed message, its raw bytes, and the envelope stored with it.</summary>
public sealed record InboundAuthInput(MimeMessage Message, byte[] Raw, InboundEnvelope Envelope, string AuthServId);

/// <summary>
/// The verdicts of one message, and the RFC 8601 Authentication-Results value that records them
/// ("mail.example.com; spf=pass smtp.mailfrom=a@b; dkim=pass header.d=b; dmarc=pass header.from=b; arc=none").
/// </summary>
public sealed record InboundAuthentication(string Spf, string Dkim, string Dmarc, string Arc, string Header)
{
    /// <summary>Parses the verdicts back out of a stored header value (for display); unknown methods read "none".</summary>
    public static InboundAuthentication? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        string Find(string method)
        {
            foreach (var part in header.Split(';'))
            {
                var text = part.Trim();
                if (text.StartsWith(method + "=", StringComparison.OrdinalIgnoreCase))
                {
                    var value = text[(method.Length + 1)..];
                    var end = value.IndexOfAny([' ', '\t', '(']);
                    return (end < 0 ? value : value[..end]).ToLowerInvariant();
                }
            }
            return "none";
        }
        return new InboundAuthentication(Find("spf"), Find("dkim"), Find("dmarc"), Find("arc"), header);
    }
}

/// <summary>
/// SPF, DKIM, DMARC and ARC for one received message. Implementations never throw for DNS trouble or bad
/// input: a check that cannot finish is <c>temperror</c>. The real one is <see cref="DeliverabilityInboundAuthenticator"/>,
/// which the host registers; without it every verdict is "none".
/// </summary>
public interface IInboundAuthenticator
{
    Task<InboundAuthentication> AuthenticateAsync(InboundAuthInput input, CancellationToken cancellationToken);
}

/// <summary>Used when no checks are wired in (Core tests, tools): says honestly that nothing was checked.</summary>
public sealed class UncheckedInboundAuthenticator : IInboundAuthenticator
{
    public Task<InboundAuthentication> AuthenticateAsync(InboundAuthInput input, CancellationToken cancellationToken) =>
        Task.FromResult(new InboundAuthentication("none", "none", "none", "none",
            $"{input.AuthServId}; spf=none (not checked); dkim=none (not checked); dmarc=none (not checked); arc=none (not checked)"));
}
