using Vireo.Engine;
using Vireo.Library;
using Vireo.Ingest;
using Vireo.Models;
using Vireo.Relocalization;
using Vireo.Retrieval;

namespace Vireo.Server.Configuration;

/// <summary>What <see cref="VireoServer.Build"/> serves and how.</summary>
public sealed record ServerOptions
{
    /// <summary>The default address: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5000";

    /// <summary>Name of the request header that carries the API key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The library searched, streamed from and indexed (null when <see cref="Cluster"/> is served instead).</summary>
    public VideoLibrary? Library { get; init; }

    /// <summary>The library's model (owned by the caller, which disposes it after the server stopped).</summary>
    public EmbeddingModel? Model { get; init; }

    /// <summary>A cluster to serve instead of one library (owned by the caller): the same API and page, video ids qualified by their shard.</summary>
    public IShardedLibrary? Cluster { get; init; }

    /// <summary>With <see cref="Cluster"/>: its distributed ingest, started and watched through the API (null: indexing through the API is not offered, 501).</summary>
    public IShardedIndexing? ClusterIndexing { get; init; }

    /// <summary>Addresses to listen on, separated by ';'. Any address that is not loopback requires <see cref="ApiKey"/>.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>The key clients send in the <see cref="ApiKeyHeader"/> header (required on every /api request when set).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Largest request body accepted, in bytes (larger ones get 413).</summary>
    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>How searches rank; <see cref="SearchOptions.TopVideos"/> and <see cref="SearchOptions.MomentsPerVideo"/> are the most a request gets.</summary>
    public SearchOptions Search { get; init; } = new() { TopVideos = 20, MomentsPerVideo = 5 };

    /// <summary>How find-clip matches; <see cref="RelocalizationOptions.TopK"/> and <see cref="RelocalizationOptions.MinScore"/> bound what a request gets.</summary>
    public RelocalizationOptions Relocalization { get; init; } = new();

    /// <summary>How the server indexes the library's roots when asked to.</summary>
    public IngestOptions Indexing { get; init; } = new();

    /// <summary>How long a session cookie from POST /api/session stays valid (sessions also end when the server stops).</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>Find-clip requests served at once (one per core by default); more get 503 with Retry-After.</summary>
    public int MaxConcurrentFindClips { get; init; } = Environment.ProcessorCount;

    /// <summary>Width of thumbnails when a request does not say, in pixels.</summary>
    public int ThumbnailWidth { get; init; } = 320;
}
