using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Parley.Api;

/// <summary>
/// How the API spells enum values: the camelCase name (<c>loopLimited</c>), or a member's
/// <see cref="JsonStringEnumMemberNameAttribute"/> where the wire name is not that (<c>starttls</c>); never a number.
/// <see cref="Converter"/> is the one converter on the API's JSON options (<see cref="ApiSetup"/>); query strings and
/// error messages spell values through it too, so a value reads the same in a body, a query and an error.
/// </summary>
public static class ApiEnums
{
    public static readonly JsonStringEnumConverter Converter = new(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

    private static readonly JsonSerializerOptions Options = new() { Converters = { Converter }, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public static string Name<T>(T value) where T : struct, Enum => Name(value, typeof(T));

    private static string Name(object value, Type type) => JsonSerializer.SerializeToElement(value, type, Options).GetString()!;

    /// <summary>A value as the API spells it (any letter case, as in a body); false for anything else, numbers included.</summary>
    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        try
        {
            value = JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(text, Options), Options);
            return true;
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>"a, b or c": the values of <paramref name="type"/> as the API spells them, for an error message.</summary>
    public static string Allowed(Type type)
    {
        var names = Enum.GetValues(type).Cast<object>().Select(v => Name(v, type)).ToList();
        return names.Count == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
    }

    public static string Allowed<T>() where T : struct, Enum => Allowed(typeof(T));

    /// <summary>The 400 for a query value that is not one of <typeparamref name="T"/>'s.</summary>
    public static T? ParseQuery<T>(string? text, string field) where T : struct, Enum =>
        text is null ? null
        : TryParse<T>(text, out var value) ? value
        : throw new Core.Common.InvalidInputException(field, $"{field} must be {Allowed<T>()}.");
}
