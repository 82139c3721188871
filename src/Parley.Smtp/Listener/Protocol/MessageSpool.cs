using System.Buffers;

namespace Parley.Smtp.Listener.Protocol;

/// <summary>
/// Holds one incoming message while it arrives: in a pooled buffer up to a limit, then in a file readable by Parley's
/// user only, that deletes itself, so a 25 MB message never becomes a 25 MB string or array. The buffers of all
/// sessions together stay within a <see cref="SpoolMemoryBudget"/>; past it, a message goes to its file at once.
/// </summary>
internal sealed class MessageSpool : IDisposable
{
    /// <summary>How spool files are named, so a start-up can remove the ones a crash left behind.</summary>
    public const string FilePrefix = "parley-smtp-";

    public const string FileSuffix = ".spool";

    private const int FirstBufferSize = 16 * 1024;

    private readonly int _memoryLimit;
    private readonly string _directory;
    private readonly SpoolMemoryBudget _budget;
    private byte[] _buffer = [];
    private int _reserved;
    private int _buffered;
    private FileStream? _file;

    private MessageSpool(int memoryLimit, string directory, SpoolMemoryBudget budget)
    {
        _memoryLimit = Math.Max(memoryLimit, 4096);
        _directory = directory;
        _budget = budget;
    }

    public long Length => _file?.Length ?? _buffered;

    /// <summary>
    /// Something written could not be kept (its file could not be created or written): the message is incomplete and
    /// must not be stored.
    /// </summary>
    public bool Failed { get; private set; }

    /// <returns>Null when the message cannot be held at all: no memory left in the budget, and no file either.</returns>
    public static MessageSpool? TryCreate(int memoryLimit, string directory, SpoolMemoryBudget budget)
    {
        var spool = new MessageSpool(memoryLimit, directory, budget);
        if (spool.TryGrow(FirstBufferSize) || spool.TryMoveToFile())
        {
            return spool;
        }

        spool.Dispose();
        return null;
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || Failed)
        {
            return;
        }

        if (_file is null && _buffered + data.Length > _buffer.Length && !TryGrow(_buffered + data.Length) && !TryMoveToFile())
        {
            Failed = true;
            ReturnBuffer();
            return;
        }

        if (_file is null)
        {
            data.CopyTo(_buffer.AsSpan(_buffered));
            _buffered += data.Length;
            return;
        }

        try
        {
            _file.Write(data);
        }
        catch (IOException)
        {
            Failed = true; // e.g. the disk is full; the client is told to try again later
        }
    }

    /// <summary>A larger buffer for <paramref name="needed"/> bytes, when the per-message limit and the budget allow.</summary>
    private bool TryGrow(int needed)
    {
        if (needed > _memoryLimit)
        {
            return false;
        }

        var size = Math.Min(_memoryLimit, Math.Max(Math.Max(_buffer.Length * 2, FirstBufferSize), needed));
        if (!_budget.TryReserve(size - _reserved))
        {
            return false;
        }

        _reserved = size;
        var larger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _buffered).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
        return true;
    }

    private bool TryMoveToFile()
    {
        try
        {
            // Page-cache writes of a local file; it is never read back before DATA ends.
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                BufferSize = 64 * 1024,
                Options = FileOptions.DeleteOnClose,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // a message is private from its first byte
            }

            _file = new FileStream(Path.Combine(_directory, $"{FilePrefix}{Guid.NewGuid():N}{FileSuffix}"), options);
            _file.Write(_buffer, 0, _buffered);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _file?.Dispose();
            _file = null;
            return false;
        }

        ReturnBuffer();
        return true;
    }

    /// <summary>A read-only view of everything written, from the start; valid until the spool is disposed.</summary>
    public async ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken)
    {
        if (_file is null)
        {
            return new MemoryStream(_buffer, 0, _buffered, writable: false);
        }

        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
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

        _budget.Release(_reserved);
        _reserved = 0;
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
