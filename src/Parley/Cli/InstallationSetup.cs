using System.Data.Common;
using Parley.Core.Doctor;
using Parley.Core.Domains;
using Parley.Data.Sqlite;
using Parley.Deliverability.Doctor;
using Parley.Hosting;

namespace Parley.Cli;

/// <summary>
/// How an existing installation sends for one of its domains (relays, public IP, DKIM selectors, alias domain), read
/// from its data directory or database, for `parley doctor --data-dir`. Reads only: nothing is created or migrated.
/// </summary>
internal static class InstallationSetup
{
    /// <returns>The setup and its notes, or why there is none (one sentence for stderr).</returns>
    public static async Task<(DoctorSetup? Setup, string? Error)> LoadAsync(string dataDir, string? database, string domain, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(dataDir);
        if (database is not { Length: > 0 } && !File.Exists(Path.Combine(full, SqliteStorage.FileName)))
        {
            return (null, $"No Parley installation in {full}: it has no {SqliteStorage.FileName}. Give the --data-dir that 'parley serve' uses (and its --database for PostgreSQL).");
        }

        await using var app = ParleyServer.Build(new ServeOptions { DataDir = full, Database = database, RunWorkers = false });
        await using var scope = app.Services.CreateAsyncScope();
        var domains = scope.ServiceProvider.GetRequiredService<SendingDomainService>();
        try
        {
            if (await domains.FindAsync(domain, cancellationToken) is not { } sending)
            {
                var known = (await domains.ListAsync(cancellationToken)).Select(d => d.Name).ToList();
                return (null, $"{domain} is not a sending domain of this installation" +
                    (known.Count == 0 ? " (it has none yet)." : $" (it sends as {string.Join(", ", known)}).") + " Register it on the Domains page, or leave out --data-dir.");
            }
            return (await scope.ServiceProvider.GetRequiredService<DoctorSetupBuilder>().BuildAsync(sending, cancellationToken), null);
        }
        catch (DbException e)
        {
            return (null, $"Parley could not read the installation in {full}: {e.Message.TrimEnd('.')}. Run 'parley migrate' with the same options if it is older than this parley.");
        }
    }

    /// <summary>The notes about the setup come first, as on the Domains page.</summary>
    public static DoctorReport WithNotes(DoctorReport report, IReadOnlyList<Finding> notes) =>
        report.IsTemporaryFailure ? report : report with { Findings = [.. notes, .. report.Findings] };
}
