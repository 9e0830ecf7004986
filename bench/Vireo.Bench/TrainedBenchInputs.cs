using Vireo.Research.Features;
using Vireo.Synthetic;

namespace Vireo.Bench;

/// <summary>
/// Raw CLIP features for the trained bench: the Lighthouse fixtures' real QVHighlights video (150 s, 75 clips) and
/// query (qid 5263), and a 2-hour video (3600 clips) tiled from real clip features of two videos.
/// </summary>
internal sealed record TrainedBenchInputs(float[] ShortVideo, int ShortClips, float[] LongVideo, int LongClips, float[] Query, int Tokens)
{
    public const int FeatureDim = 512;

    private const int LongClipCount = 3600;
    private const string NeededBy = "the trained suite";
    private const string ShortVideoFile = "data/trained/features/qvhighlight/clip/qtyBzFV9yTs_60.0_210.0.npz";
    private const string QueryFile = "data/trained/features/qvhighlight/clip_text/qid5263.npz";
    private const string OtherVideoFile = "data/features/univtg_demo_vid_clip.npz";

    public static async Task<TrainedBenchInputs> LoadAsync()
    {
        var video = await NpzFile.ReadAsync(SharedFiles.Require(ShortVideoFile, NeededBy));
        var other = await NpzFile.ReadAsync(SharedFiles.Require(OtherVideoFile, NeededBy));
        var query = await NpzFile.ReadAsync(SharedFiles.Require(QueryFile, NeededBy), "last_hidden_state");
        return new TrainedBenchInputs(video.Data, video.Shape[0], Tile([video.Data, other.Data], LongClipCount), LongClipCount, query.Data, query.Shape[0]);
    }

    public string Describe() =>
        $"150-s video: {ShortClips} real clips (qtyBzFV9yTs_60.0_210.0); query: qid 5263, {Tokens} real CLIP tokens; " +
        $"2-h video: {LongClips} clips tiled from that video's and the univtg demo's real clip features";

    /// <summary>The rows of the sources, one source after the other, repeated until <paramref name="clips"/> rows.</summary>
    private static float[] Tile(float[][] sources, int clips)
    {
        var tiled = new float[clips * FeatureDim];
        for (int filled = 0, source = 0; filled < tiled.Length; source = (source + 1) % sources.Length)
        {
            var count = Math.Min(sources[source].Length, tiled.Length - filled);
            sources[source].AsSpan(0, count).CopyTo(tiled.AsSpan(filled));
            filled += count;
        }
        return tiled;
    }
}
