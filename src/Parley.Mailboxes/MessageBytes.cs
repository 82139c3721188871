namespace Parley.Mailboxes;

internal static class MessageBytes
{
    /// <summary>A downloaded message whole: Core stores the raw bytes exactly as they came.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
