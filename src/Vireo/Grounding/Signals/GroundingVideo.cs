using System.Numerics.Tensors;
using Vireo.Grounding.Events;
using Vireo.Vectors;
using Vireo.Temporal;

namespace Vireo.Grounding.Signals;

/// <summary>
/// One video as grounding sees it: the clip embeddings (one unit-length row per clip of <see cref="Grid"/>, in time
/// order), the clip grid that gives each clip's seconds (the last clip may be partial), and what is known about its
/// structure without a query: shot boundaries from outside (e.g. FFmpeg's scene score) and event segmentations, which
/// are computed once per video and reused by every query (or stored at index time and passed in).
/// </summary>
public sealed class GroundingVideo
{
    // Unit vectors stored as float16 or averaged in float32 are a little off unit length; anything further is a mistake.
    private const float NormTolerance = 0.02f;

    private readonly Lock _gate = new();
    private readonly Dictionary<EventSegmentationOptions, EventSegmentation> _events = [];
    private readonly Dictionary<double, int[]> _shots = [];
    private readonly EventSegmentation? _givenEvents;

    /// <summary>A video from its clip embeddings and clip grid.</summary>
    /// <param name="clips">One unit-length embedding per clip, rows in time order; checked here (finite, unit length).</param>
    /// <param name="grid">The clips' times; <c>grid.Count</c> must equal <c>clips.Count</c>.</param>
    /// <param name="shotBoundaries">Times in seconds where a new shot starts (e.g. FFmpeg's <c>scene</c> score), or null
    /// to let <see cref="Proposals.ShotBoundaryProposals"/> detect shots from the embedding change.</param>
    /// <param name="events">An event segmentation computed earlier (at index time), used instead of computing one.</param>
    public GroundingVideo(EmbeddingMatrix clips, ClipGrid grid, IReadOnlyList<double>? shotBoundaries = null, EventSegmentation? events = null)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(grid);
        if (clips.Count == 0 || grid.Count == 0)
            throw new ArgumentException($"the video is empty ({clips.Count} clip embeddings, duration {grid.Duration} s): there is nothing to ground", nameof(clips));
        if (clips.Count != grid.Count)
            throw new ArgumentException(
                $"{clips.Count} clip embeddings do not match the {grid.Count} clips of a {grid.Duration} s video cut in {grid.ClipLength} s clips", nameof(clips));
        CheckUnitRows(clips);
        if (events is not null && events.ClipCount != clips.Count)
            throw new ArgumentException($"the event segmentation covers {events.ClipCount} clips, the video has {clips.Count}", nameof(events));
        if (shotBoundaries is not null)
        {
            foreach (var t in shotBoundaries)
            {
                if (!double.IsFinite(t) || t < 0 || t > grid.Duration)
                    throw new ArgumentOutOfRangeException(nameof(shotBoundaries), t, $"a shot boundary must lie in the video [0, {grid.Duration}] s");
            }
        }
        Clips = clips;
        Grid = grid;
        ShotBoundaries = shotBoundaries;
        _givenEvents = events;
    }

    /// <summary>A video of <paramref name="duration"/> seconds cut in clips of <paramref name="clipLength"/> seconds.</summary>
    public static GroundingVideo Create(EmbeddingMatrix clips, double duration, double clipLength = ClipGrid.DefaultClipLength) =>
        new(clips, new ClipGrid(duration, clipLength));

    public EmbeddingMatrix Clips { get; }

    public ClipGrid Grid { get; }

    /// <summary>Number of clips.</summary>
    public int ClipCount => Clips.Count;

    /// <summary>Shot boundaries in seconds supplied from outside, or null.</summary>
    public IReadOnlyList<double>? ShotBoundaries { get; }

    /// <summary>
    /// The video's events: the segmentation given to the constructor, else the one computed with
    /// <paramref name="options"/> (once; later calls with equal options reuse it; thread-safe).
    /// </summary>
    public EventSegmentation Events(EventSegmentationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_givenEvents is not null)
            return _givenEvents;
        lock (_gate)
        {
            if (!_events.TryGetValue(options, out var events))
            {
                events = EventSegmenter.Segment(Clips, options, cancellationToken);
                _events[options] = events;
            }
            return events;
        }
    }

    /// <summary>
    /// The clips where a new shot starts: the supplied <see cref="ShotBoundaries"/> rounded to clip boundaries, else the
    /// embedding change with <paramref name="sensitivity"/> (<see cref="ShotDetection.FromEmbeddings"/>);
    /// computed once per sensitivity (thread-safe).
    /// </summary>
    public IReadOnlyList<int> ShotStarts(double sensitivity)
    {
        lock (_gate)
        {
            if (!_shots.TryGetValue(sensitivity, out var starts))
            {
                starts = ShotBoundaries is { } times ? ShotDetection.FromTimes(times, Grid) : ShotDetection.FromEmbeddings(Clips, sensitivity);
                _shots[sensitivity] = starts;
            }
            return starts;
        }
    }

    /// <summary>The seconds a clip span covers: from its first clip's start to its last clip's end (so never past the video's end).</summary>
    public TemporalWindow ToWindow(ClipSpan span) => new(Grid[span.Start].Start, Grid[span.End - 1].End);

    private static void CheckUnitRows(EmbeddingMatrix clips)
    {
        for (var i = 0; i < clips.Count; i++)
        {
            var row = clips[i];
            var norm = TensorPrimitives.Norm(row);
            if (!float.IsFinite(norm))
                throw new ArgumentException($"clip {i}'s embedding contains NaN or infinity", nameof(clips));
            if (Math.Abs(norm - 1) > NormTolerance)
                throw new ArgumentException($"clip {i}'s embedding has length {norm:0.####}; clip embeddings must be unit length (normalise them)", nameof(clips));
        }
    }
}
