using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Doctor;
using Parley.Core.Identity;
using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Reports;
using Parley.Core.Settings;
using Parley.Core.SpamTest;
using Parley.Core.Templates;

namespace Parley.Core;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers records, chatter, templates, the outbox and inbound routing. The DbContext is
    /// registered by the data provider; the workers are added separately with <see cref="AddParleyWorkers"/>.
    /// </summary>
    public static IServiceCollection AddParleyCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        // The host replaces it with serve's --smtp-name as the default.
        services.TryAddSingleton(new ServerName(System.Net.Dns.GetHostName()));
        services.AddSingleton<ChatterEvents>();
        services.AddSingleton<WorkerHeartbeats>();
        services.AddSingleton<OutboundMetrics>();
        services.AddSingleton<InboundMetrics>();
        services.AddSingleton<Fetch.FetchMetrics>();
        services.AddSingleton<Doctor.DoctorMetrics>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<Mailings.MailingSignal>();
        services.AddSingleton<Mailings.MailingProgress>();
        services.AddSingleton<InboundSignal>();
        services.AddSingleton<Data.DatabaseWriteGate>();
        services.AddSingleton<InboundCommitQueue>();
        services.AddSingleton<RecentlyStored>();
        services.AddSingleton(_ => new InboundMemoryBudget());
        // Bound from configuration by the host with every other section (Parley.Hosting.ParleyOptions).
        services.AddOptions<InboundOptions>()
            .Validate(o => o.MaxMessageSize is >= 1 and <= InboundOptions.LargestStorable,
                $"Inbound:MaxMessageSize must be a number of bytes from 1 to {InboundOptions.LargestStorable} (the largest value the database stores).")
            .ValidateOnStart();
        services.AddSingleton<ReplyAddressProvider>();
        services.AddSingleton<RecipientAcceptance>();
        services.AddSingleton<TemplateRenderer>();
        services.AddOptions<TemplateLimits>();
        services.AddSingleton<HtmlCleaner>();
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<Fetch.FetchCoordinator>();
        services.AddOptions<Fetch.FetchOptions>();
        services.AddSingleton<Domains.DkimSignerCache>();
        services.AddOptions<OutboxOptions>();
        services.AddOptions<Mailings.MailingOptions>();
        services.AddOptions<Data.Cluster.ClusterOptions>();
        services.TryAddSingleton<Data.Cluster.INodeAddresses, Data.Cluster.NoNodeAddresses>();
        services.AddScoped<Data.Cluster.PeriodicTurn>();
        services.AddScoped<Data.Cluster.ClusterReader>();

        services.AddScoped<Dashboard.DashboardService>();
        services.AddScoped<UserService>();
        services.AddScoped<SetupCode>();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<SettingsService>();
        services.AddScoped<SecretSettings>();
        services.AddScoped<RecordDirectory>();
        services.AddScoped<RecordTypeService>();
        services.AddScoped<RecordReader>();
        services.AddScoped<RecordService>();
        services.AddScoped<RecordTracking>();
        services.AddScoped<ContactService>();
        services.AddScoped<ContactDeletion>();
        services.AddScoped<ContactMbox>();
        services.AddScoped<NoteEditor>();
        services.AddScoped<ContactImporter>();
        services.AddScoped<TemplateService>();
        services.AddScoped<FromOverrideCheck>();
        services.AddScoped<TemplateAttachmentService>();
        services.AddScoped<ChatterService>();
        services.AddScoped<Replies>();
        services.AddScoped<TimelineReader>();
        services.AddScoped<EmailStager>();
        services.AddScoped<Mailings.MailingService>();
        services.AddScoped<Mailings.MailingReader>();
        services.AddScoped<Mailings.MailingAudiences>();
        services.AddScoped<Mailings.MailingQueuer>();
        services.AddScoped<Mailings.MailingScheduler>();
        services.AddSingleton<Mailings.MailingComposer>();
        services.AddScoped<Mailings.IMailingAudience, Mailings.ContactAudience>();
        services.AddScoped<Mailings.UnsubscribeService>();
        services.AddScoped<Mailings.MailingReplies>();
        services.AddScoped<Mailings.AlignmentGate>();
        services.AddScoped<Mailings.UnsubscribeMailbox>();
        services.AddScoped<OutgoingServerService>();
        services.AddScoped<Domains.SendingDomainService>();
        services.AddScoped<SendContextReader>();
        services.AddScoped<OutboxClaimer>();
        services.AddScoped<OutboxSender>();
        services.AddScoped<OutboxRecorder>();
        services.AddScoped<OutboxProcessor>();
        services.AddScoped<OutboxService>();
        services.AddScoped<InboundStore>();
        services.AddScoped<Fetch.MailboxFetcher>();
        services.AddScoped<Fetch.FetchAccountService>();
        services.AddScoped<InboundRouter>();
        services.AddScoped<RoutingSteps>();
        services.AddScoped<RoutingChunks>();
        services.AddScoped<InboundSettingsService>();
        services.AddScoped<InboundDestinations>();
        services.AddScoped<InboundPoster>();
        services.AddScoped<InboundAdminService>();
        services.AddScoped<Inbound.Bounces.BounceProcessor>();
        services.AddScoped<Inbound.Complaints.ComplaintProcessor>();
        services.AddScoped<SpecialInboxes>();
        services.AddScoped<Suppression.SuppressionService>();
        services.AddScoped<Aliases.AliasService>();
        services.AddScoped<Followers.FollowerService>();
        services.AddScoped<Followers.FollowerNotifier>();
        services.TryAddSingleton<IInboundAuthenticator, UncheckedInboundAuthenticator>();
        services.AddParleyDoctor();
        services.AddParleyReports();
        services.AddParleySpamTest();
        return services;
    }

    /// <summary>The background delivery and routing loops (off in CLI verbs that only touch the database).</summary>
    public static IServiceCollection AddParleyWorkers(this IServiceCollection services)
    {
        services.AddHostedService<OutboxWorker>();
        services.AddHostedService<Mailings.MailingWorker>();
        services.AddHostedService<InboundWorker>();
        services.AddHostedService<Fetch.FetchWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledDoctor>());
        services.AddParleySpamTestWorker();
        services.AddHostedService<Data.Cluster.NodeHeartbeat>();
        return services;
    }
}
