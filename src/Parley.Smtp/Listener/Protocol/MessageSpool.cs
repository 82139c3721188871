using System.Buffers;

namespace Parley.Smtp.Listener.Protocol;

/// <summary>
/// Holds one incoming message while it arrives: in a pooled buffer up to a limit, then in a temp file
/// that deletes itself, so a 25 MB message never becomes a 25 MB string or array.
/// </summary>
internal sealed class MessageSpool : IDisposable
{
    private readonly int _memoryLimit;
    private readonly string _directory;
    private byte[] _buffer;
    private int _buffered;
    private FileStream? _file;

    public MessageSpool(int memoryLimit, string? directory)
    {
        _memoryLimit = Math.Max(memoryLimit, 4096);
        _directory = directory ?? Path.GetTempPath();
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(16 * 1024, _memoryLimit));
    }

    public long Length => _file?.Length ?? _buffered;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (_file is not null)
        {
            _file.Write(data);
            return;
        }

        if (_buffered + data.Length > _memoryLimit)
        {
            // Page-cache writes of a local temp file; the file is never read back before DATA ends.
            _file = new FileStream(
                Path.Combine(_directory, $"parley-smtp-{Guid.NewGuid():N}.spool"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            _file.Write(_buffer, 0, _buffered);
            _file.Write(data);
            ReturnBuffer();
            return;
        }

        if (_buffered + data.Length > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_memoryLimit, Math.Max(_buffer.Length * 2, _buffered + data.Length)));
            _buffer.AsSpan(0, _buffered).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        data.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += data.Length;
    }

    /// <summary>A read-only view of everything written, from the start; valid until the spool is disposed.</summary>
    public async ValueTask<Stream> OpenReadAsync(CancellationToken ct)
    {
        if (_file is null)
        {
            return new MemoryStream(_buffer, 0, _buffered, writable: false);
        }

        await _file.FlushAsync(ct).ConfigureAwait(false);
        _file.Position = 0;
        return new ReadOnlyFileView(_file);
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
        ReturnBuffer();
    }

    private void ReturnBuffer()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _buffered = 0;
        }
    }

    /// <summary>Lets the store read the spool file without being able to write to or close it.</summary>
    private sealed class ReadOnlyFileView(FileStream file) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => file.Length;

        public override long Position
        {
            get => file.Position;
            set => file.Position = value;
        }

        public override int Read(byte[] buffer, int offset, int count) => file.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => file.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            file.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            file.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
