using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vireo.Tests.Support;

/// <summary>
/// Headless Chromium driven over the DevTools protocol (a WebSocket, no extra package): navigate, type, press keys,
/// click at points, evaluate JavaScript and take screenshots. Tests that need it call <see cref="Require"/>, which
/// skips them when no Chromium is installed, and fails them under CI, where it must be (.ci/run installs it).
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _profile;
    private Task _receiver = Task.CompletedTask;
    private int _nextId;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The Chromium executable: $VIREO_CHROMIUM, else chromium / chromium-browser / google-chrome on PATH.</summary>
    public static string Require()
    {
        if (Environment.GetEnvironmentVariable("VIREO_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured))
            return configured;
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        const string message = "Chromium is not installed (apt-get install chromium, or set VIREO_CHROMIUM); this browser test needs it";
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            Assert.Fail(message + " and CI must have it (.ci/run installs it)");
        Assert.Skip(message);
        return "";
    }

    /// <summary>Starts headless Chromium with a fresh profile and attaches to its page.</summary>
    public static async Task<Chromium> LaunchAsync(string executable, CancellationToken ct)
    {
        var profile = Path.Combine(Path.GetTempPath(), "vireo-chromium-" + Guid.NewGuid().ToString("N")[..8]);
        var info = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--mute-audio", "--autoplay-policy=no-user-gesture-required", "--window-size=1280,900",
            "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank",
        })
        {
            info.ArgumentList.Add(argument);
        }
        var browser = new Chromium(Process.Start(info)!, profile);
        try
        {
            browser._process.OutputDataReceived += (_, _) => { };
            browser._process.BeginOutputReadLine();
            var port = await browser.DevToolsPortAsync(ct);
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", ct))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            await browser._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), ct);
            browser._receiver = Task.Run(browser.ReceiveAsync, CancellationToken.None);
            await browser.SendAsync("Page.enable", null, ct);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task<int> DevToolsPortAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var seen = new StringBuilder();
        while (await _process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.AppendLine(line);
            const string marker = "DevTools listening on ws://127.0.0.1:";
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                var rest = line[(at + marker.Length)..];
                _ = Task.Run(async () => { while (await _process.StandardError.ReadLineAsync(CancellationToken.None) is not null) { } }, CancellationToken.None);
                return int.Parse(rest[..rest.IndexOf('/', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException("Chromium exited before it opened the DevTools port: " + seen);
    }

    /// <summary>Sends a DevTools command and returns its result.</summary>
    public async Task<JsonNode> SendAsync(string method, JsonObject? parameters, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, ct);
        var answer = await reply.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        if (answer["error"] is { } error)
            throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return answer["result"]!;
    }

    /// <summary>Evaluates an expression in the page (awaiting a promise) and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken ct)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true }, ct);
        if (result["exceptionDetails"] is { } exception)
            throw new InvalidOperationException($"{expression}: {exception.ToJsonString()}");
        return result["result"]?["value"];
    }

    /// <summary>Evaluates <paramref name="expression"/> every 100 ms until it is truthy; returns its last value.</summary>
    public async Task<JsonNode> WaitForAsync(string expression, TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await EvaluateAsync(expression, ct);
            if (value is not null && value.GetValueKind() is not (JsonValueKind.False or JsonValueKind.Null))
                return value;
            if (watch.Elapsed > timeout)
                throw new TimeoutException($"waited {timeout.TotalSeconds} s for {expression}");
            await Task.Delay(100, ct);
        }
    }

    public Task NavigateAsync(string url, CancellationToken ct) => SendAsync("Page.navigate", new JsonObject { ["url"] = url }, ct);

    public Task InsertTextAsync(string text, CancellationToken ct) => SendAsync("Input.insertText", new JsonObject { ["text"] = text }, ct);

    /// <summary>Presses and releases a key (Enter, Tab, " "…) as the keyboard would.</summary>
    public async Task PressAsync(string key, int keyCode, CancellationToken ct)
    {
        var code = key == " " ? "Space" : key;
        var text = key switch { "Enter" => "\r", " " => " ", _ => null };
        var down = new JsonObject { ["type"] = "keyDown", ["key"] = key, ["code"] = code, ["windowsVirtualKeyCode"] = keyCode, ["nativeVirtualKeyCode"] = keyCode };
        if (text is not null)
            down["text"] = text;
        await SendAsync("Input.dispatchKeyEvent", down, ct);
        await SendAsync("Input.dispatchKeyEvent", new JsonObject { ["type"] = "keyUp", ["key"] = key, ["code"] = code, ["windowsVirtualKeyCode"] = keyCode, ["nativeVirtualKeyCode"] = keyCode }, ct);
    }

    /// <summary>A left click at a point of the viewport (CSS pixels).</summary>
    public async Task ClickAsync(double x, double y, CancellationToken ct)
    {
        foreach (var type in new[] { "mousePressed", "mouseReleased" })
            await SendAsync("Input.dispatchMouseEvent", new JsonObject { ["type"] = type, ["x"] = x, ["y"] = y, ["button"] = "left", ["clickCount"] = 1 }, ct);
    }

    public async Task<byte[]> ScreenshotAsync(CancellationToken ct) =>
        Convert.FromBase64String((string)(await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, ct))["data"]!);

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                    break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                    continue;
                var node = JsonNode.Parse(message.ToArray());
                message.SetLength(0);
                if (node?["id"] is { } id && _pending.TryRemove((int)id, out var reply))
                    reply.TrySetResult(node);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        foreach (var reply in _pending.Values)
            reply.TrySetException(new InvalidOperationException("the DevTools connection closed"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync(CancellationToken.None);
        await _receiver;
        _socket.Dispose();
        _process.Dispose();
        _stop.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
