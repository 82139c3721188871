using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Templates;

namespace Parley.Core.Mailings;

/// <summary>
/// A template's versions, parsed once for a whole mailing: its own subject and body (in the default language) and each
/// translation. A record in a language without a translation gets the default version.
/// </summary>
public sealed class MailingContent
{
    private readonly Dictionary<string, ParsedTemplate> _translations;

    private MailingContent(string defaultLanguage, ParsedTemplate main, Dictionary<string, ParsedTemplate> translations)
    {
        DefaultLanguage = defaultLanguage;
        Main = main;
        _translations = translations;
    }

    public string DefaultLanguage { get; }

    public ParsedTemplate Main { get; }

    /// <summary>Every version with its language, the default first.</summary>
    public IEnumerable<(string Language, ParsedTemplate Template)> Versions =>
        _translations.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value)).Prepend((DefaultLanguage, Main));

    public static async Task<MailingContent> LoadAsync(ParleyDbContext db, MailTemplate template, string defaultLanguage, CancellationToken cancellationToken)
    {
        var translations = await db.TemplateTranslations.AsNoTracking().Where(t => t.TemplateId == template.Id).ToListAsync(cancellationToken);
        return new MailingContent(defaultLanguage, ParsedTemplate.Of(template.Subject, template.Body),
            translations.Where(t => t.Language != defaultLanguage).ToDictionary(t => t.Language, t => ParsedTemplate.Of(t.Subject, t.Body), StringComparer.Ordinal));
    }

    /// <summary>The version for a record's language (null: the default), and the language it is in.</summary>
    public (ParsedTemplate Template, string Language) For(string? language)
    {
        if (language is not null && _translations.TryGetValue(language.ToLowerInvariant(), out var translated))
        {
            return (translated, language.ToLowerInvariant());
        }
        return (Main, DefaultLanguage);
    }
}
