namespace Parley.Core.Templates;

/// <param name="FromName">An optional sender name for mailings of this template (blank: the user's name).</param>
/// <param name="FromAddress">An optional From address for mailings of this template; a route must be allowed to send as it.</param>
public sealed record TemplateInput(string? Name, string? RecordType, string? Subject, string? Body, string? FromName = null, string? FromAddress = null);
