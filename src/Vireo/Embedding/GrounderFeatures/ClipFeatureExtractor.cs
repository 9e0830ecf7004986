using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Vireo.Media;
using Vireo.Media.PerClip;
using Vireo.Models;
using Vireo.Vectors;

namespace Vireo.Embedding.GrounderFeatures;

/// <summary>
/// The clip features Lighthouse feeds its trained grounders (Moment-DETR, QD-DETR, CG-DETR …): one frame per clip
/// taken by FFmpeg exactly as Lighthouse's frame loader takes it (<see cref="LighthouseFrameSampler"/>), Lighthouse's
/// pixel normalisation, then the model's image tower; raw embeddings, not normalised (the grounder's input
/// preparation normalises them). FFmpeg decodes while the model encodes the previous batch; memory holds a few
/// batches of frames, whatever the video's length.
/// </summary>
public static class ClipFeatureExtractor
{
    /// <summary>Streams the features of <paramref name="videoPath"/>, clip by clip.</summary>
    /// <exception cref="MediaException">The file is missing, not a video, or damaged (after the clips before the damage).</exception>
    /// <exception cref="ModelException">The model's image input is not square.</exception>
    public static async IAsyncEnumerable<ClipFeature> ExtractAsync(
        EmbeddingModel model, string videoPath, ClipFeatureOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(videoPath);
        options ??= new ClipFeatureOptions();
        var info = await MediaProbe.ProbeVideoAsync(videoPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        await foreach (var feature in ExtractAsync(model, info, options, cancellationToken).ConfigureAwait(false))
            yield return feature;
    }

    /// <summary>Streams the features of an already probed video, clip by clip.</summary>
    public static async IAsyncEnumerable<ClipFeature> ExtractAsync(
        EmbeddingModel model, MediaInfo info, ClipFeatureOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(info);
        options ??= new ClipFeatureOptions();
        var image = model.Image;
        if (image.InputWidth != image.InputHeight)
            throw new ModelFileException(model.Files.Root, $"the image tower takes {image.InputWidth}x{image.InputHeight} images; Lighthouse's frames are square");
        var plan = LighthouseFramePlan.For(info, options.ClipLength, image.InputWidth);
        var pixels = new LighthousePixels(image.Preprocessor.Settings);
        var batchSize = Math.Max(1, Math.Min(options.BatchSize, image.BatchSize));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<Batch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var decoding = Task.Run(() => DecodeAsync(info, plan, options.Tools, pixels, image.ImageLength, batchSize, batches.Writer, stop.Token), CancellationToken.None);
        try
        {
            var index = 0;
            await foreach (var batch in batches.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var embeddings = image.EncodeRaw(batch.Pixels, batch.Times.Count, stop.Token);
                for (var i = 0; i < batch.Times.Count; i++)
                    yield return new ClipFeature(index++, batch.Times[i], embeddings.Row(i));
            }
        }
        finally
        {
            // Decoding failures reach the reader through the channel; here FFmpeg is only stopped and waited for.
            await stop.CancelAsync().ConfigureAwait(false);
            await decoding.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>All clip features of a video at once (they are small: 2 KB per clip for 512-d features).</summary>
    public static async Task<VideoClipFeatures> ExtractAllAsync(
        EmbeddingModel model, string videoPath, ClipFeatureOptions? options = null, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ClipFeatureOptions();
        var info = await MediaProbe.ProbeVideoAsync(videoPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        var rows = new List<float[]>();
        var times = new List<double>();
        await foreach (var feature in ExtractAsync(model, info, options, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(feature.Embedding);
            times.Add(feature.FrameTime);
            progress?.Report(info.Duration > 0 ? Math.Min(1, feature.FrameTime / info.Duration) : 0);
        }
        var dimension = rows.Count > 0 ? rows[0].Length : model.Dimension;
        var matrix = new EmbeddingMatrix(rows.Count, dimension);
        for (var i = 0; i < rows.Count; i++)
            rows[i].CopyTo(matrix[i]);
        return new VideoClipFeatures(info, options.ClipLength, matrix, times);
    }

    private sealed record Batch(float[] Pixels, List<double> Times);

    private static async Task DecodeAsync(
        MediaInfo info, LighthouseFramePlan plan, FFmpegTools? tools, LighthousePixels pixels, int imageLength, int batchSize,
        ChannelWriter<Batch> writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            var batch = new Batch(new float[batchSize * imageLength], []);
            await foreach (var frame in LighthouseFrameSampler.SampleAsync(info, plan, tools, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                using (frame)
                {
                    pixels.Fill(frame.Pixels, batch.Pixels.AsSpan(batch.Times.Count * imageLength, imageLength));
                    batch.Times.Add(frame.Timestamp);
                }
                if (batch.Times.Count == batchSize)
                {
                    await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch = new Batch(new float[batchSize * imageLength], []);
                }
            }
            if (batch.Times.Count > 0)
                await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }
}
