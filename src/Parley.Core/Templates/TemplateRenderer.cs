using Fluid;
using Fluid.Values;
using Microsoft.Extensions.Options;
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
/// unknown fields are reported with their line, so a broken template is shown, never sent. Every
/// render is bounded by <see cref="TemplateLimits"/> (steps, list items, characters, time).
/// </summary>
public sealed class TemplateRenderer
{
    /// <summary>The template's own text: parsing is linear, but nothing an email needs comes near this.</summary>
    public const int MaxSourceLength = 200_000;

    private static readonly FluidParser Parser = new();
    private static readonly ActingUser SampleUser = new(0, "Sample User", "sample.user@example.com", false);

    private readonly TemplateLimits _limits;
    private readonly TemplateOptions _options;
    private readonly TimeProvider _clock;

    public TemplateRenderer(IOptions<TemplateLimits>? limits = null, TimeProvider? clock = null)
    {
        _limits = limits?.Value ?? new TemplateLimits();
        _clock = clock ?? TimeProvider.System;
        _options = new TemplateOptionsBuilder()
            .WithMaxSteps(_limits.MaxSteps)
            .WithMaxCollectionSize(_limits.MaxListItems)
            .WithMaxRecursion(_limits.MaxNesting)
            .Build();
    }

    public static IFluidTemplate Parse(string field, string source)
    {
        source ??= "";
        if (source.Length > MaxSourceLength)
        {
            throw new InvalidInputException(field, $"The {field} is too long: a template may have at most {MaxSourceLength:N0} characters.");
        }

        if (Parser.TryParse(source, out var template, out var error))
        {
            return template;
        }

        throw new InvalidInputException(field, $"The {field} has a template error: {error}");
    }

    public Task<RenderedTemplate> RenderAsync(string subject, string body, RecordView record, ActingUser user, CancellationToken cancellationToken) =>
        RenderAsync(ParsedTemplate.Of(subject, body), record, user, cancellationToken);

    /// <summary>Renders an already parsed template: a mailing parses once and renders thousands of times.</summary>
    public async Task<RenderedTemplate> RenderAsync(ParsedTemplate template, RecordView record, ActingUser user, CancellationToken cancellationToken)
    {
        try
        {
            return await RenderBoundedAsync(template, record, user, strict: true, cancellationToken);
        }
        catch (TemplateBoundExceeded e)
        {
            throw new InvalidInputException(e.Field, e.Message);
        }
    }

    /// <summary>
    /// Renders against a sample record of the template's type to find a template that goes past a limit whatever the
    /// record: saving it would only postpone the error to the first send. Other errors depend on the record's data and
    /// are left to the preview.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string[]>> FindBoundErrorsAsync(string subject, string body, RecordView sample, CancellationToken cancellationToken)
    {
        try
        {
            await RenderBoundedAsync(ParsedTemplate.Of(subject, body), sample, SampleUser, strict: false, cancellationToken);
        }
        catch (TemplateBoundExceeded e)
        {
            return new Dictionary<string, string[]> { [e.Field] = [e.Message] };
        }
        catch (InvalidInputException)
        {
            // A sample's data may break what a real record renders (divided_by a field, say): not the save's concern.
        }
        return new Dictionary<string, string[]>();
    }

    private async Task<RenderedTemplate> RenderBoundedAsync(ParsedTemplate template, RecordView record, ActingUser user, bool strict, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timeout = new CancellationTokenSource(_limits.RenderTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var renderedSubject = await RenderOneAsync("subject", template.Subject, template.SubjectSource, record, user, _limits.MaxOutputLength, strict, linked.Token, cancellationToken);
        var renderedBody = await RenderOneAsync("body", template.Body, template.BodySource, record, user,
            Math.Max(1, _limits.MaxOutputLength - renderedSubject.Length), strict, linked.Token, cancellationToken);
        // A subject is a single header line: line breaks from data must not reach it.
        renderedSubject = string.Join(' ', renderedSubject.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return new RenderedTemplate(renderedSubject, renderedBody);
    }

    private async Task<string> RenderOneAsync(string field, IFluidTemplate template, string source, RecordView record, ActingUser user,
        int maxOutput, bool strict, CancellationToken bounded, CancellationToken caller)
    {
        var unknown = new List<string>();
        var context = new TemplateContext(_options)
        {
            MaxOutputSize = maxOutput,
            CancellationToken = bounded,
            Undefined = (name, _) =>
            {
                unknown.Add(name);
                return ValueTask.FromResult<FluidValue>(NilValue.Instance);
            },
        };
        new VariableBudget(_limits.MaxVariablesLength, () => TemplateBoundExceeded.Variables(field, _limits)).Watch(context);
        context.SetValue("record", new StrictFields("record", record.Fields, _options, unknown));
        context.SetValue("user", new StrictFields("user", new Dictionary<string, object?> { ["name"] = user.Name, ["email"] = user.Email }, _options, unknown));
        string result;
        try
        {
            result = await template.RenderAsync(context);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            throw TemplateBoundExceeded.Timeout(field, source, _limits);
        }
        catch (TemplateBoundExceeded)
        {
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (TemplateBoundExceeded.FromFluid(e, field, source, _limits, maxOutput) is { } bound)
            {
                throw bound;
            }

            throw new InvalidInputException(field, $"The {field} could not be rendered: {e.Message}");
        }
        if (strict && unknown.Count > 0)
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
            if (lines[i].Contains(root, StringComparison.Ordinal))
            {
                return $" (line {i + 1})";
            }
        }
        return "";
    }
}
