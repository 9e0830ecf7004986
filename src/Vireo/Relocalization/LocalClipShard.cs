using Vireo.Embedding;
using Vireo.Library;
using Vireo.Media;
using Vireo.Temporal;

namespace Vireo.Relocalization;

/// <summary>A library on this machine as a find-clip shard: its coarse vectors, stored clips and files.</summary>
public sealed class LocalClipShard(LibraryReader reader) : IClipShard
{
    public string Name => reader.Library.Directory;

    public async Task<ClipCandidates> CandidatesAsync(float[][] probes, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probes);
        var stage = await reader.Coarse.CurrentAsync(cancellationToken).ConfigureAwait(false);
        ClipCandidate[][] perProbe = [.. probes.Select(probe => stage.Candidates(probe, count).Select(c => new ClipCandidate(c.VideoId, c.Score)).ToArray())];
        var named = new HashSet<long>(perProbe.SelectMany(candidates => candidates.Select(c => c.VideoId)));
        return new ClipCandidates(perProbe, reader.Library.TieKeys(named));
    }

    public Task<IReadOnlyList<ClipMatch>> AlignAsync(ClipVectors query, TemporalWindow querySpan, IReadOnlyList<long> videoIds, RelocalizationOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(videoIds);
        ArgumentNullException.ThrowIfNull(options);
        return Task.Run(() => (IReadOnlyList<ClipMatch>)Align(query.ToSequence(), querySpan, videoIds, options, cancellationToken), cancellationToken);
    }

    private List<ClipMatch> Align(ClipSequence query, TemporalWindow querySpan, IReadOnlyList<long> videoIds, RelocalizationOptions options, CancellationToken cancellationToken)
    {
        var library = reader.Library;
        var aligner = Aligner(options);
        var minScore = options.RefineStep > 0 ? options.MinScore - options.CoarseMargin : options.MinScore;
        var matches = new List<ClipMatch>();
        foreach (var videoId in videoIds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (library.Find(videoId) is not { Status: VideoStatus.Indexed } video)
                continue; // removed since the coarse vectors were read
            var similarities = SimilarityMatrix.Compute(query.Clips, library.ReadClips(videoId));
            var background = similarities.Background();
            var grid = new ClipGrid(video.Duration, video.ClipLength);
            foreach (var alignment in aligner.Align(similarities, options.MatchesPerVideo, Relocalizer.MeanSimilarityFor(minScore, background)))
            {
                var window = new TemporalWindow(grid[alignment.FirstColumn].Start, grid[alignment.LastColumn].End);
                matches.Add(Relocalizer.Match(video, querySpan, window, alignment.Score, background, refined: false));
            }
        }
        return matches;
    }

    public async Task<IReadOnlyList<ClipMatch?>> RefineAsync(ClipVectors query, TemporalWindow querySpan, IReadOnlyList<ClipMatch> matches, RelocalizationOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(options);
        var fine = query.ToSequence();
        var refined = new ClipMatch?[matches.Count];
        for (var i = 0; i < matches.Count; i++)
            refined[i] = await RefineAsync(fine, querySpan, matches[i], options, cancellationToken).ConfigureAwait(false);
        return refined;
    }

    /// <summary>
    /// The fine alignment of a coarse match: the candidate file's stretch around it embedded at the query's fine step
    /// and aligned with the query's fine sequence. Null when the file changed or can no longer be read (the coarse
    /// match stands).
    /// </summary>
    private async Task<ClipMatch?> RefineAsync(ClipSequence query, TemporalWindow querySpan, ClipMatch coarse, RelocalizationOptions options, CancellationToken cancellationToken)
    {
        if (reader.Library.Find(coarse.VideoId) is not { } video || !video.IsUnchangedOnDisk())
            return null;
        var stretch = new TemporalWindow(Math.Max(0, coarse.Start - options.RefineMargin), Math.Min(video.Duration, coarse.End + options.RefineMargin));
        ClipEmbeddings frames;
        try
        {
            frames = await new VideoEmbedder(reader.Model, new EmbeddingOptions { ClipLength = query.Grid.ClipLength, FramesPerClip = 1 })
                .EmbedAsync(video.Path, stretch, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException)
        {
            return null;
        }
        var fine = new ClipSequence(frames.Clips, frames.Grid, frames.Start);
        var alignments = Aligner(options).Align(SimilarityMatrix.Compute(query.Clips, fine.Clips));
        if (alignments.Count == 0)
            return null;
        var best = alignments[0];
        return Relocalizer.Match(video, querySpan, fine.Span(best.FirstColumn, best.LastColumn), best.Score, coarse.Background, refined: true);
    }

    private static TemporalAligner Aligner(RelocalizationOptions options) => new(options.SpeedChangePenalty, options.MinSpeed, options.MaxSpeed);
}
