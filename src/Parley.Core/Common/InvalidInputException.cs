namespace Parley.Core.Common;

/// <summary>
/// Bad input from a user or API caller. Carries one message per field so the UI can show it
/// next to the field and the API can return it as a ValidationProblemDetails. Nothing has been
/// written when this is thrown.
/// </summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public InvalidInputException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join(" ", errors.SelectMany(e => e.Value)))
    {
        Errors = errors;
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}

/// <summary>The thing asked for does not exist (or the caller may not see it).</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

/// <summary>
/// The request was made against a state that has changed since (an edit of an older version of a record): nothing was
/// written. <see cref="Details"/> says what changed, for the caller to show before trying again.
/// </summary>
public sealed class ConflictException(string message, IReadOnlyDictionary<string, object?> details) : Exception(message)
{
    public IReadOnlyDictionary<string, object?> Details { get; } = details;
}

/// <summary>The caller may not do this (a member asking for what only an admin may), said in words.</summary>
public sealed class ForbiddenException(string why) : Exception(why);
