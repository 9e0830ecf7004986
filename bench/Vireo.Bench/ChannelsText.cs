namespace Vireo.Bench;

/// <summary>
/// Words for the channels suite: subtitle cues, on-screen text and search sentences drawn from one vocabulary, so
/// that queries match some of the stored text as real ones do.
/// </summary>
internal static class ChannelsText
{
    private static readonly string[] Subjects = ["the chef", "a cyclist", "the teacher", "a dog", "two kids", "the pilot", "a farmer", "the crowd", "a singer", "the doctor"];

    private static readonly string[] Verbs = ["explains", "cooks", "repairs", "paints", "sells", "measures", "carries", "cleans", "opens", "plants"];

    private static readonly string[] Objects = ["the engine", "fresh bread", "a wooden boat", "the garden", "red tomatoes", "an old bicycle", "the bridge", "a map of paris",
        "the kitchen sink", "solar panels", "a birthday cake", "the harbour lights"];

    private static readonly string[] Places = ["at the market", "in the workshop", "near the river", "on the roof", "before sunrise", "during the storm", "in the classroom", "at the station"];

    /// <summary>The <paramref name="i"/>-th sentence of a fixed sequence (deterministic, varied).</summary>
    public static string Sentence(int i) =>
        $"{Subjects[i % Subjects.Length]} {Verbs[(i / 3) % Verbs.Length]} {Objects[(i / 7) % Objects.Length]} {Places[(i / 11) % Places.Length]}";

    /// <summary>A random sentence from the vocabulary.</summary>
    public static string Sentence(Random random) =>
        $"{Subjects[random.Next(Subjects.Length)]} {Verbs[random.Next(Verbs.Length)]} {Objects[random.Next(Objects.Length)]} {Places[random.Next(Places.Length)]}";

    /// <summary>Short on-screen text: a title card or a sign.</summary>
    public static string Sign(Random random) =>
        random.Next(2) == 0 ? $"{Objects[random.Next(Objects.Length)]} open daily" : $"chapter {random.Next(1, 30)}: {Objects[random.Next(Objects.Length)]}";

    /// <summary><paramref name="count"/> search sentences: half from the vocabulary, half of the kind people type about pictures.</summary>
    public static List<string> Queries(int count)
    {
        string[] visual = ["a man walks along the beach at night", "a woman laughs at a joke", "someone jumps into the pool", "a red car drives in the rain"];
        var random = new Random(16);
        return [.. Enumerable.Range(0, count).Select(i => i % 2 == 0 ? Sentence(random) : visual[random.Next(visual.Length)])];
    }
}
