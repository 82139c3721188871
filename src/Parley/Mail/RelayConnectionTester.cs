using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Core.Settings;
using Parley.Smtp.Delivery;

namespace Parley.Mail;

public sealed record ConnectionTestDto(bool Success, string Stage, int Code, string Response, bool Secure, IReadOnlyList<string> Transcript);

/// <summary>The "test connection" button: the whole SMTP dialogue up to RCPT TO, nothing sent.</summary>
public sealed class RelayConnectionTester(ISmtpDeliveryClient client, SecretProtector secrets, SettingsService settings)
{
    public async Task<ConnectionTestDto> TestAsync(OutgoingServer server, string? from, string? to, CancellationToken cancellationToken)
    {
        var alias = await settings.GetAliasDomainAsync(cancellationToken) ?? "example.com";
        string? password;
        try
        {
            password = secrets.PasswordOf(server);
        }
        catch (InvalidOperationException e)
        {
            return new ConnectionTestDto(false, "Authenticate", 0, e.Message, false, []);
        }
        var result = await client.TestConnectionAsync(
            server.ToEndpoint(password),
            string.IsNullOrWhiteSpace(from) ? $"{RoutePlanner.NotificationsLocalPart}@{alias}" : from.Trim(),
            string.IsNullOrWhiteSpace(to) ? $"{AliasDomainAddresses.Postmaster}@{alias}" : to.Trim(), cancellationToken);
        return new ConnectionTestDto(result.Success, result.Stage.ToString(), result.StatusCode, result.Response, result.Secure, result.Transcript);
    }
}
