using System.Collections.Concurrent;
using System.Threading.Channels;
using Parley.Core.Identity;

namespace Parley.Auth;

/// <summary>
/// Keeps each token's "last used" time, at most once a minute per token and off the request path: a request only
/// notes the use; this loop writes it with its own scope. A failed write (a database that takes no writes right now)
/// is logged and never fails the request that used the token.
/// </summary>
public sealed partial class TokenUseRecorder(IServiceScopeFactory scopes, TimeProvider clock, ILogger<TokenUseRecorder> log) : BackgroundService
{
    private static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<long, DateTimeOffset> _noted = new();
    private readonly Channel<(long TokenId, DateTimeOffset At)> _writes =
        Channel.CreateUnbounded<(long, DateTimeOffset)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Cheap and never throws: at most one queued write per token per minute (the queue is as long as the token list).</summary>
    public void Note(ApiToken token)
    {
        var now = clock.GetUtcNow();
        var last = _noted.GetOrAdd(token.Id, token.LastUsedAt ?? DateTimeOffset.MinValue);
        // Only the request that moves the time on queues the write.
        if (now - last >= Resolution && _noted.TryUpdate(token.Id, now, last))
        {
            _writes.Writer.TryWrite((token.Id, now));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (tokenId, at) in _writes.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ApiTokenService>().RecordUseAsync(tokenId, at, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogNotRecorded(log, tokenId, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last use of API token {TokenId} could not be recorded; the request it made was not affected")]
    private static partial void LogNotRecorded(ILogger logger, long tokenId, Exception e);
}

public static class TokenUseRecorderSetup
{
    public static IServiceCollection AddTokenUseRecorder(this IServiceCollection services)
    {
        services.AddSingleton<TokenUseRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenUseRecorder>());
        return services;
    }
}
