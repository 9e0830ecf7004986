using Vireo.Ingest;
using Vireo.Relocalization;
using Vireo.Retrieval;

namespace Vireo.Engine;

/// <summary>How the engine indexes, searches, grounds and finds clips, unless a call says otherwise. Every host uses these defaults.</summary>
public sealed record EngineOptions
{
    public IngestOptions Ingest { get; init; } = new();

    /// <summary>Search, and the grounding run by search and ground alike (<see cref="SearchOptions.Grounding"/>).</summary>
    public SearchOptions Search { get; init; } = new();

    public RelocalizationOptions Relocalization { get; init; } = new();
}
