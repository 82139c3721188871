using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Hosting;

/// <summary>
/// The operator's certificate files, read again when they change (Let's Encrypt renews every 60 days), so a renewal
/// needs no restart. Checked when a session asks, at most once per <see cref="CheckEvery"/>; a file caught
/// half-written is tried again at the next check, and the certificate in use is kept meanwhile.
/// </summary>
internal sealed partial class RenewedCertificate
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(1);

    private readonly Func<(X509Certificate2 Certificate, X509Certificate2Collection Chain)> _load;
    private readonly string[] _files;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private SslStreamCertificateContext _current;
    private DateTime[] _stamps;
    private DateTimeOffset _checkedAt;

    /// <param name="load">Reads the files; throws <see cref="StartupConfigurationException"/> when they cannot be used.</param>
    public RenewedCertificate(Func<(X509Certificate2, X509Certificate2Collection)> load, string[] files, TimeProvider clock, ILogger logger)
    {
        (_load, _files, _clock, _logger) = (load, files, clock, logger);
        _stamps = Stamps();
        _current = Context(load());
        _checkedAt = clock.GetUtcNow();
    }

    public SslStreamCertificateContext Current
    {
        get
        {
            if (_clock.GetUtcNow() - _checkedAt >= CheckEvery)
            {
                Check();
            }

            return _current;
        }
    }

    private void Check()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (now - _checkedAt < CheckEvery)
            {
                return; // another session just did
            }

            _checkedAt = now;
            var stamps = Stamps();
            if (stamps.SequenceEqual(_stamps))
            {
                return;
            }

            try
            {
                _current = Context(_load());
                _stamps = stamps;
                LogReloaded(_current.TargetCertificate.Subject, _current.TargetCertificate.NotAfter.ToUniversalTime());
            }
            catch (StartupConfigurationException e)
            {
                LogReloadFailed(e.Message);
            }
        }
    }

    private DateTime[] Stamps() => _files.Select(f => File.Exists(f) ? File.GetLastWriteTimeUtc(f) : DateTime.MinValue).ToArray();

    /// <summary>Offline: the chain is what the files hold; no handshake downloads anything.</summary>
    private static SslStreamCertificateContext Context((X509Certificate2 Certificate, X509Certificate2Collection Chain) loaded) =>
        SslStreamCertificateContext.Create(loaded.Certificate, loaded.Chain, offline: true);

    [LoggerMessage(Level = LogLevel.Information, Message = "STARTTLS: the certificate files changed; now offering {Subject}, valid until {NotAfter:yyyy-MM-dd}")]
    private partial void LogReloaded(string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STARTTLS: the certificate files changed but cannot be used yet ({Reason}); still offering the previous certificate, trying again in a minute")]
    private partial void LogReloadFailed(string reason);
}
