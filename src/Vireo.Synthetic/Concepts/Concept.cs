namespace Vireo.Synthetic.Concepts;

/// <summary>
/// One concept of <see cref="ConceptClip"/>: the words that name it, and the image statistics it stands
/// for as a prototype over the features (R, G, B, stripes, checks) with a weight per feature (0 = ignored).
/// Colour features are the mean un-normalised channel values in [0, 1]; pattern features are in [0, 1).
/// </summary>
public sealed record Concept(string Name, IReadOnlyList<string> Words, IReadOnlyList<float> Prototype, IReadOnlyList<float> FeatureWeights)
{
    /// <summary>The image features, in order.</summary>
    public static IReadOnlyList<string> Features { get; } = ["red", "green", "blue", "stripes", "checks"];

    /// <summary>A colour: the mean RGB of a plain frame; any pattern counts against it.</summary>
    public static Concept Colour(string name, float r, float g, float b, params string[] words) =>
        new(name, words.Length == 0 ? [name] : words, [r, g, b, 0, 0], [1, 1, 1, 1, 1]);

    /// <summary>A pattern: its pattern features, whatever the colours.</summary>
    public static Concept Pattern(string name, float stripes, float checks, params string[] words) =>
        new(name, words, [0, 0, 0, stripes, checks], [0, 0, 0, 1, 1]);

    /// <summary>
    /// The default concepts: nine colours (red, green, blue, yellow, orange, purple, white, black, gray/grey) and two
    /// patterns — striped (stripe, stripes, striped) and checkered (checker, checked, plaid; "checkered" itself is two
    /// CLIP tokens, so it needs a caller-supplied token map).
    /// </summary>
    public static IReadOnlyList<Concept> Defaults { get; } =
    [
        Colour("red", 1, 0, 0),
        Colour("green", 0, 1, 0),
        Colour("blue", 0, 0, 1),
        Colour("yellow", 1, 1, 0),
        Colour("orange", 1, 0.5f, 0),
        Colour("purple", 0.5f, 0, 0.5f),
        Colour("white", 1, 1, 1),
        Colour("black", 0, 0, 0),
        Colour("gray", 0.5f, 0.5f, 0.5f, "gray", "grey"),
        Pattern("striped", 1, 0, "striped", "stripes", "stripe"),
        Pattern("checkered", 0, 1, "checker", "checked", "plaid"),
    ];

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        if (Prototype.Count != Features.Count || FeatureWeights.Count != Features.Count)
            throw new ArgumentException($"concept '{Name}' needs {Features.Count} prototype values and feature weights ({string.Join(", ", Features)})");
    }
}
