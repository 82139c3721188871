namespace Parley.Core.Settings;

/// <summary>
/// The one host name of this installation: what the SMTP listener greets with and writes in Received headers, the name
/// its self-signed certificate is for, what Parley says in EHLO (to MX hosts and relays alike), and what the doctor
/// checks. It is Settings → Host name when set, else <see cref="Default"/>: serve's --smtp-name, else this machine's
/// name. <see cref="SettingsService"/> keeps it in step with the stored setting; <see cref="Changed"/> tells the
/// listener, the SMTP client and the certificate.
/// </summary>
public sealed class ServerName(string defaultName, bool defaultIsExplicit = false)
{
    private readonly Lock _gate = new();
    private volatile string _current = defaultName;
    private string? _configured;

    /// <summary>Used when Settings → Host name is empty.</summary>
    public string Default { get; } = defaultName;

    public string Current => _current;

    /// <summary>Whether someone chose the current name (Settings, or --smtp-name), rather than it being the machine's.</summary>
    public bool IsChosen => _configured is not null || defaultIsExplicit;

    /// <summary>Raised with the new name, after <see cref="Current"/> changed.</summary>
    public event Action<string>? Changed;

    /// <summary>The stored Settings → Host name (null when not set) as last read.</summary>
    public void Apply(string? configured)
    {
        string? changedTo = null;
        lock (_gate)
        {
            _configured = configured;
            var name = configured ?? Default;
            if (name != _current)
            {
                _current = name;
                changedTo = name;
            }
        }
        if (changedTo is not null)
        {
            Changed?.Invoke(changedTo);
        }
    }
}
