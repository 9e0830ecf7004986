using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Vireo.Library;
using Vireo.Ingest;
using Vireo.Models;
using Vireo.Server;
using Vireo.Synthetic;
using Vireo.Synthetic.Concepts;
using Vireo.Server.Configuration;

namespace Vireo.Bench;

/// <summary>
/// The server under load on loopback: a real Kestrel server over a library indexed with the concept model, 50
/// concurrent clients searching by sentence for 30 s while the server indexes new videos of the library's root in
/// the background (started through the API). Reports latency percentiles, throughput and errors.
/// </summary>
internal sealed class ServerBench : IBenchSuite
{
    private static readonly string[] Colours = ["red", "lime", "blue", "yellow", "white", "black", "gray", "0xFF8000", "0x800080"];

    private static readonly string[] Queries =
        ["a red scene", "something green", "blue", "the yellow part", "orange light", "a purple thing", "a dark black scene", "white", "red and blue", "a gray wall"];

    public string Name => "server";

    public string Description => "50 clients searching a loopback server for 30 s while it indexes: p50/p99 latency, throughput, errors";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var clients = Option(args, "--clients", 50);
        var seconds = Option(args, "--seconds", 30);
        var work = Path.Combine(Path.GetTempPath(), "vireo-bench", "server");
        if (Directory.Exists(work))
            Directory.Delete(work, recursive: true);
        var root = Directory.CreateDirectory(Path.Combine(work, "videos")).FullName;
        var modelFolder = await ConceptModelFolder.WriteAsync(Path.Combine(work, "concept-model"),
            SharedFiles.Require(SharedFiles.ClipMerges, "the server suite (the concept model's tokenizer)"));
        using var model = EmbeddingModel.Load(modelFolder);
        report.Context("model", model.Identity.ToString());
        report.Context("load_average_at_start", BenchMachine.LoadAverage());

        // A library of 20 indexed videos, then 40 more in the root for the server to index during the load.
        Console.WriteLine("# generating videos and indexing the first 20...");
        for (var i = 0; i < 20; i++)
            Generate(Path.Combine(root, $"indexed-{i:D2}.mp4"), i, 30);
        var library = VideoLibrary.Open(Path.Combine(work, "library"));
        await new LibraryIngest(library, model).RunAsync([root]);
        for (var i = 0; i < 40; i++)
            Generate(Path.Combine(root, $"pending-{i:D2}.mp4"), 100 + i, 60);
        report.Context("library", "20 videos of 30 s indexed; 40 videos of 60 s (160x120, 25 fps) waiting in the root");

        await using var app = VireoServer.Build(new ServerOptions { Library = library, Model = model, Urls = "http://127.0.0.1:0" });
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            Timeout = TimeSpan.FromSeconds(60),
        };
        using (var warm = await http.GetAsync(new Uri("api/search?q=red", UriKind.Relative)))
            warm.EnsureSuccessStatusCode();

        using (var start = await http.PostAsync(new Uri("api/indexing/start", UriKind.Relative), null))
        {
            if (start.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"indexing did not start: {(int)start.StatusCode} {await start.Content.ReadAsStringAsync()}");
        }
        Console.WriteLine($"# {clients} clients searching for {seconds} s while indexing runs...");
        var deadline = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(c => ClientAsync(http, c, TimeSpan.FromSeconds(seconds), deadline)));
        var elapsed = deadline.Elapsed.TotalSeconds;
        var status = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/library", UriKind.Relative))).RootElement;
        var indexing = status.GetProperty("indexing");
        using (await http.PostAsync(new Uri("api/indexing/stop", UriKind.Relative), null))
        {
        }

        var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
        var errors = results.Sum(r => r.Errors);
        report.Add("requests (search, all clients)", latencies.Length + errors, "requests", $"{clients} clients, {seconds} s");
        report.Add("throughput", latencies.Length / elapsed, "requests/s");
        report.Add("p50 latency", Percentile(latencies, 0.50), "ms");
        report.Add("p90 latency", Percentile(latencies, 0.90), "ms");
        report.Add("p99 latency", Percentile(latencies, 0.99), "ms");
        report.Add("max latency", latencies.Length > 0 ? latencies[^1] : 0, "ms");
        report.Add("errors (non-200 or failed requests)", errors, "requests", string.Join("; ", results.SelectMany(r => r.Messages).Distinct().Take(3)));
        report.Add("videos indexed during the load", status.GetProperty("indexed").GetInt32() - 20, "videos",
            $"indexing {indexing.GetProperty("state").GetString()} at the end, {indexing.GetProperty("files_done").GetInt32()}/{indexing.GetProperty("files_total").GetInt32()} files");
        report.Context("load_average_at_end", BenchMachine.LoadAverage());
        await app.StopAsync();
    }

    private static async Task<ClientResult> ClientAsync(HttpClient http, int client, TimeSpan duration, Stopwatch clock)
    {
        var result = new ClientResult();
        var random = new Random(client);
        while (clock.Elapsed < duration)
        {
            var query = Queries[random.Next(Queries.Length)];
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.GetAsync(new Uri("api/search?q=" + Uri.EscapeDataString(query), UriKind.Relative));
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                    result.Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                else
                    result.Fail($"HTTP {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                result.Fail(e.Message);
            }
        }
        return result;
    }

    /// <summary>A 160x120 video of three colour stretches (which colours depends on the seed).</summary>
    private static void Generate(string path, int seed, int seconds)
    {
        var random = new Random(seed);
        var colours = Enumerable.Range(0, 3).Select(_ => Colours[random.Next(Colours.Length)]).ToArray();
        var third = (seconds / 3.0).ToString("0.###", CultureInfo.InvariantCulture);
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error", "-y" };
        foreach (var colour in colours)
            arguments.AddRange(["-f", "lavfi", "-i", $"color=c={colour}:s=160x120:r=25:d={third}"]);
        arguments.AddRange(["-filter_complex", "[0][1][2]concat=n=3:v=1:a=0", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", path]);
        MediaBench.TimeProcess("ffmpeg", [.. arguments]);
    }

    private static double Percentile(double[] sorted, double share) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * share))];

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(fallback);

    private sealed class ClientResult
    {
        public List<double> Latencies { get; } = [];

        public int Errors { get; private set; }

        public HashSet<string> Messages { get; } = [];

        public void Fail(string message)
        {
            Errors++;
            Messages.Add(message);
        }
    }
}
