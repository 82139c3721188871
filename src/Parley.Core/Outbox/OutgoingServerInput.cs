namespace Parley.Core.Outbox;

public sealed record OutgoingServerInput(
    string? Name, string? Host, int? Port, string? Security, string? Username, string? Password, int? Priority = null,
    string? FromFilter = null, string? SpfInclude = null, bool? ValidateCertificate = null, bool? AllowPlainTextLogin = null);
