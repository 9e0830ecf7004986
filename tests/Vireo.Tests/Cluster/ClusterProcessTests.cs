using System.Diagnostics;
using System.Text.Json;
using Vireo.Cluster;
using Vireo.Tests.Retrieval;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cluster;

/// <summary>
/// The cluster as it runs on machines: Redis started by the test, three silos as separate `vireo cluster silo`
/// processes each owning one shard, and `vireo cluster search` as the client. Its answer equals `vireo search` on the
/// single library; a silo killed with SIGKILL makes the answer partial, naming its shard; restarted, it rejoins and the
/// answer is whole again. Loopback only, bounded in time.
/// </summary>
public class ClusterProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_silo_processes_with_redis_answer_as_one_library_survive_a_kill_and_rejoin()
    {
        var (whole, shards, _) = await ShardedSearchTests.Libraries.Value;
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;
        using var redis = await RedisServer.StartAsync();
        var ports = ClusterConnection.FreeLoopbackPorts(6);
        var silos = new Process?[3];
        try
        {
            for (var i = 0; i < 3; i++)
                silos[i] = await StartSiloAsync(i, ["--library", shards[i].Directory], model, redis, ports);

            var single = await CliRunner.RunProcessAsync(["search", "a red scene", "--library", whole.Directory, "--model", model, "--json"], []);
            var cluster = await SearchClusterAsync(redis, model, "a red scene");
            Assert.True(single.Code == 0, single.Error);
            Assert.True(cluster.Code == 0, cluster.Error);
            Assert.Equal(Answer(single.Out), Answer(cluster.Out));
            Assert.DoesNotContain("partial answer", cluster.Error, StringComparison.Ordinal);

            silos[1]!.Kill(entireProcessTree: true); // SIGKILL: no goodbye to the cluster
            await silos[1]!.WaitForExitAsync(Ct);
            // The command's default deadline: a fresh client process on a loaded machine may need more than a few
            // seconds for a live silo's first answers (a shorter one once cost a partial answer naming silo-0).
            var partial = await SearchClusterAsync(redis, model, "a red scene", deadline: 10);
            Assert.True(partial.Code == 0, partial.Error);
            Assert.Contains("partial answer: silo-1/", partial.Error, StringComparison.Ordinal);
            var missing = JsonDocument.Parse(partial.Out).RootElement.GetProperty("missing_shards");
            Assert.StartsWith("silo-1/", missing[0].GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("shard-videos-1", partial.Out, StringComparison.Ordinal);

            silos[1] = await StartSiloAsync(1, ["--library", shards[1].Directory], model, redis, ports);
            var rejoined = await SearchSettledClusterAsync(redis, model, "a red scene");
            Assert.True(rejoined.Code == 0, rejoined.Error);
            Assert.Equal(Answer(single.Out), Answer(rejoined.Out));
        }
        finally
        {
            foreach (var silo in silos)
            {
                if (silo is { HasExited: false })
                    silo.Kill(entireProcessTree: true);
                silo?.Dispose();
            }
        }
    }

    /// <summary>The answer's videos and moments: what must be equal (the library name, timings and each shard's own catalog ids differ).</summary>
    internal static string Answer(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        var text = root.GetProperty("results").GetRawText() + root.GetProperty("moments").GetRawText();
        return System.Text.RegularExpressions.Regex.Replace(text, "\"video_id\": \\d+,", "");
    }

    /// <summary>
    /// Searches until the answer is whole (at most 90 s): until the membership declares a killed silo's old incarnation
    /// dead (seconds, more on a loaded machine), calls may still go to its address, and the answer is partial.
    /// </summary>
    internal static async Task<(int Code, string Out, string Error)> SearchSettledClusterAsync(RedisServer redis, string model, string sentence)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var answer = await SearchClusterAsync(redis, model, sentence);
            if (answer.Code != 0 || !answer.Error.Contains("partial answer", StringComparison.Ordinal) || watch.Elapsed > TimeSpan.FromSeconds(90))
                return answer;
            await Task.Delay(1000, TestContext.Current.CancellationToken);
        }
    }

    internal static Task<(int Code, string Out, string Error)> SearchClusterAsync(RedisServer redis, string model, string sentence, double deadline = 20) =>
        CliRunner.RunProcessAsync(["cluster", "search", sentence, "--redis", redis.Connection, "--model", model, "--json",
            "--deadline", deadline.ToString(System.Globalization.CultureInfo.InvariantCulture)], []);

    /// <summary>Starts `vireo cluster silo` with its <paramref name="storage"/> (--library DIR, --data DIR) and waits until it says it is up (or fails with what it printed).</summary>
    internal static async Task<Process> StartSiloAsync(int index, string[] storage, string model, RedisServer redis, int[] ports)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "Vireo.Cli.dll"), "cluster", "silo", "--name", $"silo-{index}", .. storage, "--model", model,
            "--redis", redis.Connection, "--port", ports[2 * index].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway", ports[(2 * index) + 1].ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["CI"] = "true";
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start a silo");
        var errors = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains(" is up ", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync(Ct);
                return process;
            }
        }
        await process.WaitForExitAsync(Ct);
        throw new InvalidOperationException($"silo-{index} exited with {process.ExitCode}: {await errors}");
    }
}
