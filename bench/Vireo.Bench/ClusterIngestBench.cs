using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Vireo.Cluster;
using Vireo.Embedding;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.Models;

namespace Vireo.Bench;

/// <summary>
/// Cluster ingest throughput (issue 19): the same folder of distinct 360p videos indexed into one library by the engine's
/// ingest, then by `vireo cluster index`'s client into 1 and 3 silos with data folders (in this process, localhost
/// clustering, loopback). Real-time factor of the whole job and per silo; on one machine the silos share its cores, so
/// the per-silo figure of 1 silo is what one machine of a real cluster adds.
/// </summary>
internal static class ClusterIngestBench
{
    private const int Videos = 6;

    public static async Task RunAsync(EmbeddingModel model, string work, BenchReport report)
    {
        var folder = Path.Combine(work, "cluster-ingest-videos");
        Directory.CreateDirectory(folder);
        double seconds = 0;
        for (var i = 0; i < Videos; i++)
        {
            var length = 40 + i; // a different length each: different content, so no video is a copy of another
            var video = await MediaBench.GenerateAsync($"cluster-ingest-360p30-{length}s.mp4", "640x360", 30, length, "-c:v", "libx264", "-b:v", "1M");
            var target = Path.Combine(folder, Path.GetFileName(video));
            if (!File.Exists(target))
                File.Copy(video, target);
            seconds += length;
        }
        report.Context("ingest videos", $"{Videos} H.264 640x360 30 fps videos, {seconds:0} s in all; ViT-B/32-compute model, 1 frame/s, subtitles channel");
        var options = new IngestOptions { Embedding = new EmbeddingOptions { Encoder = EncoderMode.Shared } };

        var library = VideoLibrary.Open(Path.Combine(work, "cluster-ingest-single-" + Guid.NewGuid().ToString("N")[..8]));
        var watch = Stopwatch.StartNew();
        var single = await new LibraryIngest(library, model, options).RunAsync([folder]);
        var singleFactor = single.SecondsIndexed / watch.Elapsed.TotalSeconds;
        report.Add("ingest, single library (engine, this process): real-time factor", singleFactor, "x", $"{single.Added} videos in {watch.Elapsed.TotalSeconds:0.0} s; load {BenchMachine.LoadAverage()}");

        foreach (var silos in new[] { 1, 3 })
        {
            var ports = ClusterConnection.FreeLoopbackPorts(2 * silos);
            var connection = new ClusterConnection { ClusterId = $"bench-ingest-{silos}", PrimarySiloPort = ports[0], GatewayPort = ports[1] };
            var hosts = new List<IHost>();
            var shards = new List<SiloShards>();
            try
            {
                for (var i = 0; i < silos; i++)
                {
                    shards.Add(new SiloShards($"silo-{i}", [], model));
                    var data = SiloDataFolder.Open(Path.Combine(work, $"cluster-ingest-{silos}-silo{i}-" + Guid.NewGuid().ToString("N")[..8]));
                    hosts.Add(await new VireoSilo($"silo-{i}", connection, ports[2 * i], ports[(2 * i) + 1]) { Partitions = new SiloPartitions(data, model, options) }
                        .StartAsync(shards[^1], CancellationToken.None));
                }
                await using var client = await ClusterSearch.ConnectAsync(connection, CancellationToken.None);
                var run = await new ClusterIngest(client).RunAsync([folder]);
                var label = $"{silos} silo{(silos == 1 ? "" : "s")}";
                report.Add($"ingest, {label} (this process, loopback): real-time factor", run.RealTimeFactor, "x",
                    $"{run.Added} added, {run.Failures.Count} failed in {run.Elapsed.TotalSeconds:0.0} s; {run.RealTimeFactor / singleFactor:0.00}x the single library; per silo {string.Join(", ", run.PerSilo.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))}; load {BenchMachine.LoadAverage()}");
                report.Add($"ingest, {label}: real-time factor per silo", run.RealTimeFactor / silos, "x", "hours of video indexed per hour, per silo, with the silos sharing this machine's cores");
            }
            finally
            {
                hosts.Reverse();
                foreach (var host in hosts)
                {
                    await host.StopAsync();
                    host.Dispose();
                }
                shards.ForEach(s => s.Dispose());
            }
        }
    }
}
