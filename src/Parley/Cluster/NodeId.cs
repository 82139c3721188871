using Parley.Core.Data.Cluster;
using Parley.Hosting;

namespace Parley.Cluster;

/// <summary>
/// This node's stable id: <c>Cluster:NodeId</c> from configuration, else the one kept in the data directory's
/// <c>node-id</c> file, made on the first start from the host name and a random suffix. The file stays with the data
/// directory, so a restarted node is the same node; a node made by copying another's data directory must delete it.
/// </summary>
internal static class NodeId
{
    public const string FileName = "node-id";

    public static IServiceCollection AddParleyNodeId(this IServiceCollection services, IConfiguration configuration, string dataDir)
    {
        services.PostConfigure<ClusterOptions>(o =>
        {
            if (configuration[$"{ClusterOptions.Section}:{nameof(ClusterOptions.NodeId)}"] is not { Length: > 0 })
            {
                o.NodeId = ReadOrCreate(dataDir, o.NodeId);
            }
        });
        return services;
    }

    /// <param name="fresh">The id to keep when the directory has none yet.</param>
    public static string ReadOrCreate(string dataDir, string fresh)
    {
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } kept)
        {
            return kept;
        }

        Directory.CreateDirectory(dataDir);
        try
        {
            using var file = DataDirectory.CreateFile(path);
            using var writer = new StreamWriter(file);
            writer.WriteLine(fresh);
            return fresh;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process on this data directory wrote it first.
            return File.ReadAllText(path).Trim();
        }
    }
}
