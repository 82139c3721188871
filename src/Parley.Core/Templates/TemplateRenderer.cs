using Fluid;
using Fluid.Values;
using Parley.Core.Common;
using Parley.Core.Identity;
using Parley.Core.Records;

namespace Parley.Core.Templates;

public sealed record RenderedTemplate(string Subject, string Body);

/// <summary>A subject and body parsed once; syntax errors surface when it is made.</summary>
public sealed record ParsedTemplate(IFluidTemplate Subject, string SubjectSource, IFluidTemplate Body, string BodySource)
{
    public static ParsedTemplate Of(string subject, string body) =>
        new(TemplateRenderer.Parse("subject", subject), subject, TemplateRenderer.Parse("body", body), body);
}

/// <summary>
/// Renders Liquid subjects and bodies against a record and the acting user. Syntax errors and
/// unknown fields are reported with their line, so a broken template is shown, never sent.
/// </summary>
public sealed class TemplateRenderer
{
    private static readonly FluidParser Parser = new();

    public static IFluidTemplate Parse(string field, string source)
    {
        if (Parser.TryParse(source ?? "", out var template, out var error)) return template;
        throw new InvalidInputException(field, $"The {field} has a template error: {error}");
    }

    public Task<RenderedTemplate> RenderAsync(string subject, string body, RecordView record, ActingUser user, CancellationToken ct) =>
        RenderAsync(ParsedTemplate.Of(subject, body), record, user, ct);

    /// <summary>Renders an already parsed template: a mailing parses once and renders thousands of times.</summary>
    public async Task<RenderedTemplate> RenderAsync(ParsedTemplate template, RecordView record, ActingUser user, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var renderedSubject = await RenderOneAsync("subject", template.Subject, template.SubjectSource, record, user);
        var renderedBody = await RenderOneAsync("body", template.Body, template.BodySource, record, user);
        // A subject is a single header line: line breaks from data must not reach it.
        renderedSubject = string.Join(' ', renderedSubject.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return new RenderedTemplate(renderedSubject, renderedBody);
    }

    private static async Task<string> RenderOneAsync(string field, IFluidTemplate template, string source, RecordView record, ActingUser user)
    {
        var unknown = new List<string>();
        var options = new TemplateOptions
        {
            Undefined = name =>
            {
                unknown.Add(name);
                return ValueTask.FromResult<FluidValue>(NilValue.Instance);
            },
        };
        var context = new TemplateContext(options);
        context.SetValue("record", new DictionaryValue(new StrictFields("record", record.Fields, options, unknown)));
        context.SetValue("user", new DictionaryValue(new StrictFields("user", new Dictionary<string, object?> { ["name"] = user.Name, ["email"] = user.Email }, options, unknown)));
        string result;
        try
        {
            result = await template.RenderAsync(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidInputException(field, $"The {field} could not be rendered: {e.Message}");
        }
        if (unknown.Count > 0)
        {
            var name = unknown[0];
            throw new InvalidInputException(field,
                $"The {field} uses \"{name}\", which does not exist{LineOf(source, name)}. Fields you can use: {string.Join(", ", record.Fields.Keys.Select(k => "record." + k))}, user.name, user.email.");
        }
        return result;
    }

    private static string LineOf(string source, string name)
    {
        var root = name.Contains('.') ? name[(name.IndexOf('.') + 1)..] : name;
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(root, StringComparison.Ordinal)) return $" (line {i + 1})";
        }
        return "";
    }
}
