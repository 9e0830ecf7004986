using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Vireo.Models.Store;

/// <summary>
/// Downloads model repositories from the Hugging Face hub (or a mirror: set VIREO_HF_ENDPOINT or HF_ENDPOINT).
/// Downloads resume where they stopped (HTTP range requests on a ".partial" file) and every file is checked
/// against the checksum the hub lists before it takes its final name.
/// </summary>
public sealed class HubClient(HttpClient http, Uri? endpoint = null)
{
    private const int BufferSize = 1 << 16;

    /// <summary>The hub's address: VIREO_HF_ENDPOINT, else HF_ENDPOINT, else https://huggingface.co.</summary>
    public static Uri DefaultEndpoint =>
        new(Environment.GetEnvironmentVariable("VIREO_HF_ENDPOINT") is { Length: > 0 } v ? v
            : Environment.GetEnvironmentVariable("HF_ENDPOINT") is { Length: > 0 } h ? h
            : "https://huggingface.co");

    public Uri Endpoint { get; } = endpoint ?? DefaultEndpoint;

    /// <summary>Every file of <paramref name="repository"/> ("owner/name") at <paramref name="revision"/>.</summary>
    public async Task<List<HubFile>> ListFilesAsync(string repository, string revision = "main", CancellationToken cancellationToken = default)
    {
        var address = new Uri(Endpoint, $"api/models/{repository}/tree/{Uri.EscapeDataString(revision)}?recursive=true");
        using var response = await SendAsync(repository, new HttpRequestMessage(HttpMethod.Get, address), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized)
            throw new ModelDownloadException(repository, $"the hub has no public repository '{repository}' (HTTP {(int)response.StatusCode})");
        if (!response.IsSuccessStatusCode)
            throw new ModelDownloadException(repository, $"listing the repository failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(json);
            var files = new List<HubFile>();
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (entry.GetProperty("type").GetString() != "file")
                    continue;
                var sha256 = entry.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object ? lfs.GetProperty("oid").GetString() : null;
                files.Add(new HubFile(
                    entry.GetProperty("path").GetString()!,
                    entry.GetProperty("size").GetInt64(),
                    sha256,
                    sha256 is null ? entry.GetProperty("oid").GetString() : null));
            }
            return files;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ModelDownloadException(repository, "the hub's file list could not be read: " + e.Message, e);
        }
    }

    /// <summary>
    /// Downloads <paramref name="files"/> of <paramref name="repository"/> into <paramref name="folder"/>, skipping files
    /// already there with the right checksum and resuming partial ones.
    /// </summary>
    public async Task DownloadAsync(
        string repository, IReadOnlyList<HubFile> files, string folder, string revision = "main",
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var totalSize = files.Sum(f => f.Size);
        long totalDone = 0;
        foreach (var file in files)
        {
            var target = Path.Combine(folder, file.Path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target) && new FileInfo(target).Length == file.Size && await ChecksumMatchesAsync(target, file, cancellationToken).ConfigureAwait(false))
            {
                totalDone += file.Size;
                progress?.Report(new DownloadProgress(file.Path, file.Size, file.Size, totalDone, totalSize));
                continue;
            }
            var done = totalDone;
            await DownloadFileAsync(repository, revision, file, target,
                bytes => progress?.Report(new DownloadProgress(file.Path, bytes, file.Size, done + bytes, totalSize)), cancellationToken).ConfigureAwait(false);
            totalDone += file.Size;
        }
    }

    private async Task DownloadFileAsync(string repository, string revision, HubFile file, string target, Action<long> onBytes, CancellationToken ct)
    {
        var partial = target + ".partial";
        var address = new Uri(Endpoint, $"{repository}/resolve/{Uri.EscapeDataString(revision)}/{file.Path}");
        var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (have > file.Size)
        {
            File.Delete(partial);
            have = 0;
        }
        if (have < file.Size)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, address);
            if (have > 0)
                request.Headers.Range = new RangeHeaderValue(have, null);
            using var response = await SendAsync(repository, request, ct, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new ModelDownloadException($"{repository}/{file.Path}", $"download refused: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            var append = have > 0 && response.StatusCode == HttpStatusCode.PartialContent;
            if (!append)
                have = 0;
            await using var output = new FileStream(partial, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            await using var input = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var buffer = new byte[BufferSize];
            try
            {
                int read;
                while ((read = await input.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    have += read;
                    onBytes(have);
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new ModelDownloadException($"{repository}/{file.Path}",
                    $"the connection broke after {have} of {file.Size} bytes; run the same command again to resume", e);
            }
        }
        if (new FileInfo(partial).Length != file.Size)
            throw new ModelDownloadException($"{repository}/{file.Path}", $"received {new FileInfo(partial).Length} bytes, expected {file.Size}; run again to resume");
        if (!await ChecksumMatchesAsync(partial, file, ct).ConfigureAwait(false))
        {
            File.Delete(partial);
            throw new ModelDownloadException($"{repository}/{file.Path}", "checksum mismatch: the downloaded file is not the one the hub lists (deleted; run again)");
        }
        File.Move(partial, target, overwrite: true);
    }

    private async Task<HttpResponseMessage> SendAsync(string what, HttpRequestMessage request, CancellationToken ct, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await http.SendAsync(request, completion, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ModelDownloadException(what, $"cannot reach {Endpoint.Host} ({e.Message}); are you offline? Copy the model folder by hand and use 'vireo models import' instead", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ModelDownloadException(what, $"{Endpoint.Host} did not answer in time; are you offline?", e);
        }
    }

    internal static async Task<bool> ChecksumMatchesAsync(string path, HubFile file, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        if (file.Sha256 is { } sha256)
        {
            var hash = await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false);
            return string.Equals(Convert.ToHexStringLower(hash), sha256, StringComparison.OrdinalIgnoreCase);
        }
        if (file.GitBlobSha1 is { } blob)
            return string.Equals(Convert.ToHexStringLower(await GitBlobSha1Async(stream, ct).ConfigureAwait(false)), blob, StringComparison.OrdinalIgnoreCase);
        return true;
    }

    /// <summary>Git's object id of a file: SHA-1 of "blob {length}\0" followed by the content.</summary>
    internal static async Task<byte[]> GitBlobSha1Async(Stream content, CancellationToken ct)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
#pragma warning disable CA5350 // git's object ids are SHA-1; used to verify, not to secure
        sha1.AppendData(System.Text.Encoding.ASCII.GetBytes($"blob {content.Length}\0"));
#pragma warning restore CA5350
        var buffer = new byte[BufferSize];
        int read;
        while ((read = await content.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            sha1.AppendData(buffer, 0, read);
        return sha1.GetHashAndReset();
    }
}
