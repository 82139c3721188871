namespace Parley.Core.Templates;

public sealed record TemplateInput(string? Name, string? RecordType, string? Subject, string? Body);
