using System.CommandLine;
using Vireo.Cli.Commands;

namespace Vireo.Tests.Cli;

/// <summary>The options every cluster command shares say which cluster it reaches.</summary>
public class ClusterOptionsTests
{
    [Fact]
    public void A_client_reaches_the_named_cluster_through_redis_or_a_local_gateway()
    {
        var options = new ClusterOptions(client: true);
        var command = new Command("probe");
        options.AddTo(command);

        var named = options.Connection(command.Parse(["--redis", "10.0.0.11:6379", "--cluster-id", "archive-b"]));
        var local = options.Connection(command.Parse(["--gateway", "30005"]));

        Assert.Equal(("archive-b", "10.0.0.11:6379"), (named.ClusterId, named.Redis));
        Assert.Equal(("vireo", null, 30005), (local.ClusterId, local.Redis, local.GatewayPort));
        Assert.NotEmpty(command.Parse(["--cluster-id", " "]).Errors);
    }

    [Fact]
    public void A_silo_takes_no_client_gateway()
    {
        var options = new ClusterOptions(client: false);
        var command = new Command("silo");
        options.AddTo(command);

        Assert.DoesNotContain(command.Options, o => o.Name == "--gateway");
        Assert.Equal("c2", options.Connection(command.Parse(["--cluster-id", "c2"])).ClusterId);
    }
}
