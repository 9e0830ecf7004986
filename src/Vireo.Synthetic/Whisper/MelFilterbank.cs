namespace Vireo.Synthetic.Whisper;

/// <summary>Triangular filters evenly spaced on the mel scale, each row one band over the FFT's frequency bins.</summary>
internal static class MelFilterbank
{
    public static float[] Triangular(int bands, int bins, int sampleRate)
    {
        var weights = new float[bands * bins];
        var topMel = ToMel(sampleRate / 2.0);
        var edges = Enumerable.Range(0, bands + 2).Select(i => FromMel(topMel * i / (bands + 1))).ToArray();
        var binHertz = sampleRate / 2.0 / (bins - 1);
        for (var band = 0; band < bands; band++)
        {
            var (low, centre, high) = (edges[band], edges[band + 1], edges[band + 2]);
            for (var bin = 0; bin < bins; bin++)
            {
                var hertz = bin * binHertz;
                var rising = (hertz - low) / (centre - low);
                var falling = (high - hertz) / (high - centre);
                weights[band * bins + bin] = (float)Math.Max(0, Math.Min(rising, falling));
            }
        }
        return weights;
    }

    private static double ToMel(double hertz) => 2595 * Math.Log10(1 + hertz / 700);

    private static double FromMel(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);
}
