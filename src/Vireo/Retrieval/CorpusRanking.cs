using Vireo.Shards;

namespace Vireo.Retrieval;

/// <summary>
/// The moments of the top videos ranked together across the library (video corpus moment retrieval). Equal scores are
/// ordered by the videos' tie rule (<see cref="VideoTies"/>), then by time, so the order is the same for one library
/// and for any split of it into shards.
/// </summary>
internal static class CorpusRanking
{
    /// <summary>Without text matches: by corpus score, then the moment's score within its video.</summary>
    public static List<CorpusMoment> Visual(IReadOnlyList<(int Shard, ShardHit Hit)> hits, VideoTies ties)
    {
        var moments = new List<(int Shard, CorpusMoment Moment)>();
        foreach (var (shard, hit) in hits)
        {
            foreach (var moment in hit.Corpus)
                moments.Add((shard, moment));
        }
        moments.Sort((a, b) => a.Moment.Score != b.Moment.Score ? b.Moment.Score.CompareTo(a.Moment.Score)
            : a.Moment.GroundingScore != b.Moment.GroundingScore ? b.Moment.GroundingScore.CompareTo(a.Moment.GroundingScore)
            : ByVideoThenTime(ties, a.Shard, a.Moment.VideoId, a.Moment.Start, a.Moment.End, b.Shard, b.Moment.VideoId, b.Moment.Start, b.Moment.End));
        var ranked = new List<CorpusMoment>(moments.Count);
        foreach (var (_, moment) in moments)
            ranked.Add(moment);
        return ranked;
    }

    /// <summary>With text matches: by <see cref="FusedMoment.Compare"/>.</summary>
    public static List<CorpusMoment> Fused(IReadOnlyList<(int Shard, ShardHit Hit)> hits, VideoTies ties)
    {
        var moments = new List<(int Shard, FusedMoment Moment, VideoHit Video)>();
        foreach (var (shard, hit) in hits)
        {
            foreach (var moment in hit.FusedCorpus)
                moments.Add((shard, moment, hit.Hit));
        }
        moments.Sort((a, b) => FusedMoment.Compare(a.Moment, b.Moment) is var byScore and not 0 ? byScore
            : ByVideoThenTime(ties, a.Shard, a.Video.VideoId, a.Moment.Moment.Start, a.Moment.Moment.End, b.Shard, b.Video.VideoId, b.Moment.Moment.Start, b.Moment.Moment.End));
        var ranked = new List<CorpusMoment>(moments.Count);
        foreach (var (_, moment, video) in moments)
        {
            ranked.Add(new CorpusMoment(video.VideoId, video.Path, moment.Moment.Start, moment.Moment.End, moment.Score, moment.Similarity)
            {
                Shard = video.Shard,
                MatchedChannels = moment.Channels,
                MatchedText = moment.Text,
            });
        }
        return ranked;
    }

    private static int ByVideoThenTime(VideoTies ties, int shardA, long videoA, double startA, double endA, int shardB, long videoB, double startB, double endB)
    {
        var byVideo = ties.Compare(shardA, videoA, shardB, videoB);
        if (byVideo != 0)
            return byVideo;
        return startA != startB ? startA.CompareTo(startB) : endA.CompareTo(endB);
    }
}
