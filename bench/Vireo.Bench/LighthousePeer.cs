using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vireo.Research.Features;

namespace Vireo.Bench;

/// <summary>The model inputs Vireo prepared for one query: one 75-clip window, the text, and every window of the long video.</summary>
internal sealed record PreparedQuery(float[] Video, int Clips, int VideoDim, float[] Text, int Tokens, int TextDim, IReadOnlyList<float[]> LongWindows);

/// <summary>What the peer script printed: its timings, the BLAS torch ran on, and the outputs of its first 75-clip pass.</summary>
internal sealed record PeerResult(
    [property: JsonPropertyName("torch")] string Torch,
    [property: JsonPropertyName("torch_threads")] int TorchThreads,
    [property: JsonPropertyName("blas")] string Blas,
    [property: JsonPropertyName("forward_ms")] double ForwardMs,
    [property: JsonPropertyName("long_ms")] double? LongMs,
    [property: JsonPropertyName("windows")] int Windows,
    [property: JsonPropertyName("peak_rss_mb")] double PeakRssMb,
    [property: JsonPropertyName("logits")] float[] Logits,
    [property: JsonPropertyName("spans")] float[] Spans,
    [property: JsonPropertyName("saliency")] float[] Saliency);

/// <summary>
/// The official PyTorch model as a peer in the same run: <c>lighthouse_peer.py</c> (beside the bench's binaries) run by
/// a Python with torch on a Lighthouse checkout, both named by environment variables.
/// </summary>
internal sealed class LighthousePeer
{
    public const string LighthouseVariable = "VIREO_LIGHTHOUSE";
    public const string PythonVariable = "VIREO_TORCH_PYTHON";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    private readonly string _lighthouse;
    private readonly string _python;

    private LighthousePeer(string lighthouse, string python)
    {
        _lighthouse = lighthouse;
        _python = python;
    }

    public string Describe() => $"{_python} on {_lighthouse}, lighthouse_peer.py";

    public static string HowToEnable =>
        $"off; set {LighthouseVariable}=/path/to/lighthouse (a line/lighthouse checkout) and {PythonVariable}=/path/to/python (with torch, numpy, easydict, scipy) to time the official PyTorch model in the same run";

    /// <summary>The peer the environment names, or null with the reason when it names none or a broken one.</summary>
    public static LighthousePeer? FromEnvironment(out string whyNot)
    {
        var lighthouse = Environment.GetEnvironmentVariable(LighthouseVariable);
        var python = Environment.GetEnvironmentVariable(PythonVariable);
        whyNot = (lighthouse, python) switch
        {
            (null or "", _) or (_, null or "") => HowToEnable,
            _ when !Directory.Exists(Path.Combine(lighthouse, "lighthouse", "common")) => $"off: {LighthouseVariable}={lighthouse} has no lighthouse/common",
            _ when !File.Exists(python) => $"off: {PythonVariable}={python} does not exist",
            _ => "",
        };
        return whyNot.Length == 0 ? new LighthousePeer(lighthouse!, python!) : null;
    }

    public static Task WriteInputsAsync(string path, PreparedQuery query)
    {
        var windows = new float[query.LongWindows.Count * query.Clips * query.VideoDim];
        for (var i = 0; i < query.LongWindows.Count; i++)
            query.LongWindows[i].CopyTo(windows, i * query.Clips * query.VideoDim);
        return NpzFile.WriteAsync(path,
        [
            ("src_vid", new FeatureArray(query.Video, [query.Clips, query.VideoDim])),
            ("src_txt", new FeatureArray(query.Text, [query.Tokens, query.TextDim])),
            ("windows_vid", new FeatureArray(windows, [query.LongWindows.Count, query.Clips, query.VideoDim])),
        ]);
    }

    /// <summary>
    /// Runs the peer with one torch thread and <paramref name="blasThreads"/> BLAS threads (the README's fair setting:
    /// torch's own thread pool would compete with the BLAS threads for the same cores).
    /// </summary>
    public async Task<PeerResult> RunAsync(string checkpoint, string inputs, int blasThreads, int runs, int longRuns)
    {
        var info = new ProcessStartInfo(_python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "lighthouse_peer.py"), "--lighthouse", _lighthouse, "--checkpoint", checkpoint, "--inputs", inputs,
            "--torch-threads", "1", "--runs", runs.ToString(CultureInfo.InvariantCulture),
            "--long-runs", longRuns.ToString(CultureInfo.InvariantCulture),
        })
            info.ArgumentList.Add(argument);
        foreach (var variable in new[] { "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS" })
            info.Environment[variable] = blasThreads.ToString(CultureInfo.InvariantCulture);

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {_python}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the PyTorch peer took more than {Timeout.TotalMinutes} minutes");
        }
        var output = await stdout;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"the PyTorch peer exited with {process.ExitCode}: {Tail(await stderr)}");
        var lastLine = output.TrimEnd().Split('\n')[^1];
        return JsonSerializer.Deserialize<PeerResult>(lastLine) ?? throw new InvalidOperationException($"the PyTorch peer printed no result: {Tail(output)}");
    }

    private static string Tail(string text) => text.Length <= 800 ? text.Trim() : "..." + text[^800..].Trim();
}
