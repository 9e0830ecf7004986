namespace Vireo.Grounding.Trained;

/// <summary>
/// The features a trained grounder was trained on, hence must be fed: which encoders, how many seconds per clip, the
/// widths, the normalisation and whether temporal-endpoint features are appended.
/// </summary>
/// <param name="VideoEncoder">Lighthouse's feature name (<c>clip</c>: CLIP ViT-B/32 image embeddings, one per clip).</param>
/// <param name="VideoDim">Width of the encoder's features (without tef).</param>
/// <param name="ClipSeconds">Seconds per clip.</param>
/// <param name="Tef">Whether <c>[i/L, i/L + 1/L]</c> is appended to every clip.</param>
/// <param name="TextEncoder">Lighthouse's text feature name (<c>clip</c>: CLIP's per-token outputs after the final layer norm, unprojected).</param>
/// <param name="TextDim">Width of the token features.</param>
/// <param name="MaxTextTokens">Tokens kept (the first ones, start token included).</param>
/// <param name="Normalization">How every feature row is normalised before the network.</param>
public sealed record FeatureSpec(
    string VideoEncoder, int VideoDim, double ClipSeconds, bool Tef, string TextEncoder, int TextDim, int MaxTextTokens, string Normalization)
{
    /// <summary>Lighthouse's normalisation: <c>x / (‖x‖₂ + 1e-5)</c> per row, float32.</summary>
    public const string L2PlusEpsilon = "l2_norm_plus_1e-5";

    /// <summary>The CLIP model Lighthouse's <c>clip</c> features come from.</summary>
    public const string ClipEncoderModel = "openai/clip-vit-base-patch32";
}
