using System.CommandLine;
using Vireo.Cluster;
using Vireo.Cli.Terminal;

namespace Vireo.Cli.Commands;

/// <summary>
/// Which cluster a command reaches: <c>--redis host:port</c> (the membership store; without it, localhost clustering on
/// one machine), <c>--cluster-id</c> (several clusters may share one Redis) and, for clients under localhost clustering,
/// <c>--gateway</c> (a silo's gateway port).
/// </summary>
internal sealed class ClusterOptions
{
    private readonly bool _client;

    /// <param name="client">True for the commands that connect to silos (they take --gateway); false for a silo itself.</param>
    public ClusterOptions(bool client)
    {
        _client = client;
        ClusterId.Check(id => !string.IsNullOrWhiteSpace(id), "--cluster-id must not be empty");
    }

    public Option<string?> Redis { get; } = new("--redis")
    {
        Description = "The Redis membership store, host:port (without it: localhost clustering, for one machine).",
    };

    public Option<string> ClusterId { get; } = new("--cluster-id")
    {
        Description = "The cluster's id, shared by its silos and clients (several clusters can use one Redis).",
        DefaultValueFactory = _ => "vireo",
    };

    public Option<int> Gateway { get; } = new("--gateway")
    {
        Description = "Localhost clustering only: a silo's gateway port.",
        DefaultValueFactory = _ => 30000,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Redis);
        command.Options.Add(ClusterId);
        if (_client)
            command.Options.Add(Gateway);
    }

    public ClusterConnection Connection(ParseResult result)
    {
        var connection = ClusterConnection.Parse(result.GetValue(Redis)) with { ClusterId = result.GetRequiredValue(ClusterId).Trim() };
        return _client ? connection with { GatewayPort = result.GetValue(Gateway) } : connection;
    }
}
