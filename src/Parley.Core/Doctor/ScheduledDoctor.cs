using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Core.Data.Cluster;
using Parley.Core.Domains;

namespace Parley.Core.Doctor;

/// <summary>When the scheduled doctor runs ("Doctor:Schedule" configuration section).</summary>
public sealed class DoctorScheduleOptions
{
    public const string Section = "Doctor:Schedule";

    public bool Enabled { get; set; } = true;

    /// <summary>Whether a change in a domain's findings is emailed to the admins (off for <c>serve --demo</c>: the demo
    /// mails nobody, its findings stay in the chatter).</summary>
    public bool EmailAdmins { get; set; } = true;

    /// <summary>Time between two runs over every sending domain (across every node of a cluster: one node runs each).</summary>
    [Range(typeof(TimeSpan), "00:00:02", "30.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The first run after the server starts (late enough not to slow the start).</summary>
    public TimeSpan FirstRunDelay { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Runs the doctor for every sending domain on an interval — once per interval across the cluster: each node asks for
/// the turn (<see cref="PeriodicTurn"/>) and only the one that gets it runs — so a DNS change that breaks delivery
/// (an SPF record edited away, a DKIM key replaced) reaches the admins as a chatter event and an
/// email without anyone pressing "Check now". Each domain runs in its own scope; one domain's
/// failure is logged and does not stop the others.
/// </summary>
public sealed partial class ScheduledDoctor(
    IServiceScopeFactory scopes,
    IOptions<DoctorScheduleOptions> options,
    TimeProvider clock,
    ILogger<ScheduledDoctor> logger) : BackgroundService
{
    /// <summary>The scheduled doctor's lease row (<see cref="PeriodicTurn"/>).</summary>
    public const string TurnName = "doctor";

    private readonly DoctorScheduleOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var delay = _options.FirstRunDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, clock, stoppingToken);
                delay = _options.Interval;
                // One run per interval across the cluster: the node that takes the turn runs it; the others wake when
                // the turn ends, so one of them takes the next if the holder died.
                Turn turn;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    turn = await scope.ServiceProvider.GetRequiredService<PeriodicTurn>().TakeTurnAsync(TurnName, _options.Interval, stoppingToken);
                }
                if (turn.Taken)
                {
                    LogTurnTaken(turn.Holder, turn.Until.ToUniversalTime());
                    await RunOnceAsync(stoppingToken);
                }
                else
                {
                    LogNotOurTurn(turn.Holder, turn.Until);
                }

                delay = TimeSpan.FromTicks(Math.Clamp((turn.Until - clock.GetUtcNow()).Ticks, TimeSpan.TicksPerSecond, _options.Interval.Ticks));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRunFailed(e);
            }
        }
    }

    /// <summary>One pass over every sending domain; returns how many domains changed (and got an event).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        List<SendingDomain> domains;
        await using (var scope = scopes.CreateAsyncScope())
        {
            domains = await scope.ServiceProvider.GetRequiredService<SendingDomainService>().ListAsync(cancellationToken);
        }

        var changed = 0;
        foreach (var domain in domains)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<DoctorRunService>().RunAsync(domain, cancellationToken);
                if (result.Event is not null)
                {
                    changed++;
                }

                LogChecked(domain.Name, result.Report.Findings.Count(f => f.Severity == Deliverability.Doctor.FindingSeverity.Fail), result.Change?.Summary ?? "no change");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogDomainFailed(domain.Name, e);
            }
        }
        return changed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Doctor checked {Domain}: {Fails} failing; {Change}")]
    private partial void LogChecked(string domain, int fails, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Doctor could not check {Domain}")]
    private partial void LogDomainFailed(string domain, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Doctor: node {NodeId} took the doctor's turn, until {Until:yyyy-MM-ddTHH:mm:ss.fffZ}")]
    private partial void LogTurnTaken(string nodeId, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Doctor: this turn is node {Holder}'s, until {Until:u}")]
    private partial void LogNotOurTurn(string holder, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled doctor run failed")]
    private partial void LogRunFailed(Exception e);
}
