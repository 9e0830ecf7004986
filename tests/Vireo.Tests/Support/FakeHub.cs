using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vireo.Tests.Support;

/// <summary>
/// A local stand-in for the Hugging Face hub's two endpoints Vireo uses (tree listing and file download with
/// range requests), so download code is tested without a network. It can break a download midway once.
/// </summary>
public sealed class FakeHub : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lfs = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public FakeHub(string repository)
    {
        Repository = repository;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Repository { get; }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    /// <summary>Paths whose next download is cut after half the bytes.</summary>
    public HashSet<string> BreakOnce { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths served with different bytes than listed (checksum mismatch).</summary>
    public HashSet<string> Tamper { get; } = new(StringComparer.Ordinal);

    public List<string> RangeRequests { get; } = [];

    public void Add(string path, byte[] content, bool lfs)
    {
        _files[path] = content;
        if (lfs)
            _lfs.Add(path);
    }

    public static int FreePort()
    {
        var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                Serve(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client went away.
            }
        }
    }

    private void Serve(HttpListenerContext context)
    {
        var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/'));
        var response = context.Response;
        if (path == $"api/models/{Repository}/tree/main")
        {
            var entries = _files.Select(kv => _lfs.Contains(kv.Key)
                ? (object)new { type = "file", path = kv.Key, size = kv.Value.Length, oid = "0000", lfs = new { oid = Convert.ToHexStringLower(SHA256.HashData(kv.Value)), size = kv.Value.Length, pointerSize = 130 } }
                : new { type = "file", path = kv.Key, size = kv.Value.Length, oid = GitBlobId(kv.Value) });
            Write(response, 200, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entries.Append(new { type = "directory", path = "onnx", size = 0, oid = "x" }))));
            return;
        }
        var prefix = $"{Repository}/resolve/main/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal) || !_files.TryGetValue(path[prefix.Length..], out var content))
        {
            Write(response, 404, "not found"u8.ToArray());
            return;
        }
        var file = path[prefix.Length..];
        if (Tamper.Contains(file))
            content = [.. content.Reverse()];
        var start = 0;
        if (context.Request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            RangeRequests.Add($"{file} {range}");
            start = int.Parse(range[6..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
            response.StatusCode = 206;
        }
        var body = content.AsSpan(start).ToArray();
        if (BreakOnce.Remove(file))
        {
            response.ContentLength64 = body.Length;
            response.OutputStream.Write(body, 0, body.Length / 2);
            response.OutputStream.Flush();
            response.Abort();
            return;
        }
        Write(response, response.StatusCode, body);
    }

    private static void Write(HttpListenerResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
        response.Close();
    }

    private static string GitBlobId(byte[] content)
    {
#pragma warning disable CA5350 // git object ids are SHA-1
        return Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
#pragma warning restore CA5350
    }

    public void Dispose()
    {
        // Close alone: after Stop, Close looks the port's listener up again, binding the port anew, which fails when
        // another test took the freed port in between ("Address already in use").
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
