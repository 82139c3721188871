namespace Parley.Core.Domains;

/// <summary>A DNS record Parley's own setup needs, exactly as the admin should publish it.</summary>
public sealed record DnsRecordSuggestion(string Type, string Name, string Value, string Purpose);
