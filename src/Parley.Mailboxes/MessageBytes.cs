namespace Parley.Mailboxes;

internal static class MessageBytes
{
    /// <summary>A downloaded message whole: Core stores the raw bytes exactly as they came.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
