using Vireo.Media;

namespace Vireo.TimedText.Ocr;

/// <summary>
/// Says whether a frame's picture changed since the last frame that was read: both are reduced to a grid of mean grey
/// levels over <see cref="CellSize"/>-pixel cells, and the picture changed when any cell's mean moved by at least the
/// threshold. A new caption changes the cells it covers by tens of levels while the rest of the frame stays put; a
/// whole-frame mean would average it away.
/// </summary>
internal sealed class FrameChangeDetector(double threshold)
{
    /// <summary>Cell side in pixels of the sampled frame (720 px on the shorter side: a caption letter spans one or two cells).</summary>
    public const int CellSize = 16;

    private float[]? _reference;
    private int _referenceWidth;
    private int _referenceHeight;

    /// <summary>The largest cell change of the last <see cref="HasChanged"/> call (for measurement).</summary>
    public double LastDifference { get; private set; }

    /// <summary>True when <paramref name="frame"/> differs from the frame last passed to <see cref="Accept"/> (always true before the first).</summary>
    public bool HasChanged(VideoFrame frame, out float[] cells)
    {
        cells = Cells(frame);
        if (_reference is null || frame.Width != _referenceWidth || frame.Height != _referenceHeight)
        {
            LastDifference = double.PositiveInfinity;
            return true;
        }
        var largest = 0f;
        for (var i = 0; i < cells.Length; i++)
            largest = Math.Max(largest, Math.Abs(cells[i] - _reference[i]));
        LastDifference = largest;
        return largest >= threshold;
    }

    /// <summary>Makes <paramref name="cells"/> (from <see cref="HasChanged"/>) the picture later frames are compared with.</summary>
    public void Accept(VideoFrame frame, float[] cells)
    {
        _reference = cells;
        _referenceWidth = frame.Width;
        _referenceHeight = frame.Height;
    }

    private static float[] Cells(VideoFrame frame)
    {
        var columns = (frame.Width + CellSize - 1) / CellSize;
        var rows = (frame.Height + CellSize - 1) / CellSize;
        var sums = new float[columns * rows];
        var counts = new float[columns * rows];
        var rgb = frame.Pixels;
        for (var y = 0; y < frame.Height; y++)
        {
            var row = rgb.Slice(y * frame.Stride, frame.Stride);
            var cellRow = y / CellSize * columns;
            for (var x = 0; x < frame.Width; x++)
            {
                var p = x * 3;
                sums[cellRow + x / CellSize] += (77 * row[p] + 150 * row[p + 1] + 29 * row[p + 2]) >> 8;
            }
            for (var c = 0; c < columns; c++)
                counts[cellRow + c] += Math.Min(CellSize, frame.Width - c * CellSize);
        }
        System.Numerics.Tensors.TensorPrimitives.Divide(sums, counts, sums);
        return sums;
    }
}
