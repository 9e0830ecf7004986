namespace Vireo.TimedText.Speech;

/// <summary>Where to cut a stretch of audio so the cut falls between words: the quietest short window near its end.</summary>
internal static class QuietCut
{
    /// <summary>
    /// The sample index at the middle of the window of <paramref name="windowSamples"/> with the least energy among
    /// those starting at or after <paramref name="searchFrom"/> (windows overlap by half).
    /// </summary>
    public static int Find(ReadOnlySpan<float> samples, int searchFrom, int windowSamples)
    {
        searchFrom = Math.Clamp(searchFrom, 0, samples.Length);
        windowSamples = Math.Max(1, windowSamples);
        if (samples.Length - searchFrom < windowSamples)
            return samples.Length;
        var step = Math.Max(1, windowSamples / 2);
        var best = samples.Length;
        var bestEnergy = double.PositiveInfinity;
        for (var start = searchFrom; start + windowSamples <= samples.Length; start += step)
        {
            double energy = 0;
            foreach (var sample in samples.Slice(start, windowSamples))
                energy += sample * sample;
            if (energy < bestEnergy)
            {
                bestEnergy = energy;
                best = start + windowSamples / 2;
            }
        }
        return best;
    }
}
