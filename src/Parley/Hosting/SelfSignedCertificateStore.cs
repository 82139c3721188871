using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Settings;
using Parley.Data.Postgres;

namespace Parley.Hosting;

/// <summary>
/// Where the listener's self-signed certificate is kept (as PKCS#12 encrypted with Data Protection): the data
/// directory on SQLite, the database on PostgreSQL, so every node of a cluster presents the same one (ADR 0025).
/// </summary>
internal abstract class SelfSignedCertificateStore
{
    /// <summary>Where it is kept, for the log.</summary>
    public abstract string Where { get; }

    /// <summary>The kept certificate's protected bytes, or null when none is kept.</summary>
    public abstract byte[]? Read();

    /// <summary>
    /// Keeps <paramref name="made"/> in place of <paramref name="seen"/> (what <see cref="Read"/> returned), unless another
    /// node replaced that meanwhile: returns what is kept now, ours or theirs.
    /// </summary>
    public abstract byte[] Replace(byte[]? seen, byte[] made);

    public static SelfSignedCertificateStore For(ServeOptions serve, IServiceProvider services) =>
        PostgresStorage.IsPostgresConnectionString(serve.Database)
            ? new DatabaseStore(services.GetRequiredService<IServiceScopeFactory>())
            : InDataDirectory(serve.DataDir);

    public static SelfSignedCertificateStore InDataDirectory(string dataDir) => new FileStore(dataDir);

    private sealed class FileStore(string dataDir) : SelfSignedCertificateStore
    {
        private string Path_ => Path.Combine(dataDir, SmtpTlsSetup.SelfSignedFile);

        public override string Where => Path_;

        public override byte[]? Read() => File.Exists(Path_) ? File.ReadAllBytes(Path_) : null;

        public override byte[] Replace(byte[]? seen, byte[] made)
        {
            try
            {
                Directory.CreateDirectory(dataDir);
                var temporary = Path_ + ".tmp";
                // Readable by Parley's user only from its first byte (the data-protection keys sit in the same directory).
                var owner = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    owner.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var file = new FileStream(temporary, owner))
                {
                    file.Write(made);
                }

                File.Move(temporary, Path_, overwrite: true);
                return made;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StartupConfigurationException(
                    $"The SMTP listener's self-signed certificate could not be kept in {dataDir}: {e.Message} Make the data directory writable by Parley, or give a certificate with --smtp-tls-cert.", e);
            }
        }
    }

    /// <summary>
    /// A settings row. Made with an INSERT that the key makes unique, replaced with an UPDATE that names the value it
    /// replaces: of two nodes starting at once, one writes and the other reads back the winner. The listener's options
    /// are built synchronously, once at start (and on a host-name change), so this talks to the database synchronously.
    /// </summary>
    private sealed class DatabaseStore(IServiceScopeFactory scopes) : SelfSignedCertificateStore
    {
        public const string Key = "cluster:smtp-tls-self-signed";

        public override string Where => "the database";

        public override byte[]? Read()
        {
            using var scope = scopes.CreateScope();
            var row = scope.ServiceProvider.GetRequiredService<ParleyDbContext>().Settings.AsNoTracking().FirstOrDefault(s => s.Key == Key);
            return row is null ? null : Convert.FromBase64String(row.Value);
        }

        public override byte[] Replace(byte[]? seen, byte[] made)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            var value = Convert.ToBase64String(made);
            if (seen is null)
            {
                db.Settings.Add(new Setting { Key = Key, Value = value });
                try
                {
                    db.SaveChanges();
                    return made;
                }
                catch (DbUpdateException)
                {
                    db.ChangeTracker.Clear(); // another node made one first: use theirs
                }
            }
            else
            {
                var old = Convert.ToBase64String(seen);
                if (db.Settings.Where(s => s.Key == Key && s.Value == old).ExecuteUpdate(u => u.SetProperty(s => s.Value, value)) == 1)
                {
                    return made;
                }
            }
            return Convert.FromBase64String(db.Settings.AsNoTracking().First(s => s.Key == Key).Value);
        }
    }
}
