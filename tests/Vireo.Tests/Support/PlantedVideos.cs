namespace Vireo.Tests.Support;

/// <summary>A colour stretch planted in a generated video: where the sentence about it should land.</summary>
public sealed record PlantedMoment(string Video, string Colour, double Start, double End);

/// <summary>
/// Generates videos of background stretches (gray, black, white) with target colours planted at seeded random
/// positions and lengths, for end-to-end grounding and search tests with the concept model.
/// </summary>
public static class PlantedVideos
{
    /// <summary>Colours the concept model knows, with FFmpeg's names for pure versions of them.</summary>
    public static readonly (string Word, string Lavfi)[] Targets =
        [("red", "red"), ("green", "lime"), ("blue", "blue"), ("yellow", "yellow"), ("orange", "0xFF8000"), ("purple", "0x800080")];

    private static readonly string[] Backgrounds = ["gray", "black", "white"];

    /// <summary>
    /// Writes a <paramref name="duration"/>-second video with the given target colours planted once each, at
    /// random non-overlapping places, <paramref name="minLength"/> to <paramref name="maxLength"/> seconds long.
    /// </summary>
    public static async Task<List<PlantedMoment>> WriteAsync(string path, int seed, double duration, IReadOnlyList<(string Word, string Lavfi)> targets, double minLength, double maxLength)
    {
        var random = new Random(seed);
        var slots = duration / targets.Count;
        var stretches = new List<(string Colour, double Seconds)>();
        var planted = new List<PlantedMoment>();
        var time = 0.0;
        var order = targets.OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < order.Count; i++)
        {
            // One target per slot of the timeline, at a random offset inside it, with background around it.
            var length = Math.Round(minLength + random.NextDouble() * (Math.Min(maxLength, slots - 2) - minLength), 1);
            var slotStart = i * slots;
            var start = Math.Round(slotStart + 1 + random.NextDouble() * (slots - length - 2), 1);
            if (start > time)
                stretches.Add((Backgrounds[random.Next(Backgrounds.Length)], start - time));
            stretches.Add((order[i].Lavfi, length));
            planted.Add(new PlantedMoment(path, order[i].Word, start, start + length));
            time = start + length;
        }
        if (duration > time)
            stretches.Add((Backgrounds[random.Next(Backgrounds.Length)], duration - time));
        await ColourVideos.WriteAsync(path, [.. stretches]);
        return planted;
    }
}
