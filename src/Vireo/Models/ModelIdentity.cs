using System.Security.Cryptography;
using System.Text;

namespace Vireo.Models;

/// <summary>
/// What a library remembers about the model it was built with: a readable name, the embedding size and a
/// fingerprint of the weights and preprocessing, so that a library is never queried with another model.
/// </summary>
/// <param name="Name">The model's name (registered name, or the folder name).</param>
/// <param name="Dimension">Embedding size.</param>
/// <param name="Fingerprint">Hex digest of the model files (sizes, first and last MiB of each) and preprocessing.</param>
/// <param name="Variant">Which weights of the folder (float32, int8, float16); null when not recorded (libraries built before it was).</param>
public sealed record ModelIdentity(string Name, int Dimension, string Fingerprint, ModelVariant? Variant = ModelVariant.Default)
{
    private const int Sample = 1 << 20;

    /// <summary>True when both identities describe the same weights and embedding space.</summary>
    public bool IsCompatibleWith(ModelIdentity other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Dimension == other.Dimension && string.Equals(Fingerprint, other.Fingerprint, StringComparison.Ordinal);
    }

    public override string ToString() => Variant is { } variant and not ModelVariant.Default
        ? $"{Name} ({variant.OptionValue()} variant, {Dimension}-d, {Fingerprint})"
        : $"{Name} ({Dimension}-d, {Fingerprint})";

    /// <summary>Reads the model files' sizes and their first and last MiB: cheap even for gigabyte models.</summary>
    internal static string ComputeFingerprint(ModelFiles files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Sample];
        foreach (var path in new[] { files.TextModel, files.VisionModel, files.CombinedModel, files.PreprocessorConfig })
        {
            if (path is null)
                continue;
            using var stream = File.OpenRead(path);
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(path)}:{stream.Length};"));
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            hash.AppendData(buffer, 0, read);
            if (stream.Length > Sample)
            {
                stream.Seek(-Math.Min(Sample, stream.Length - Sample), SeekOrigin.End);
                read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                hash.AppendData(buffer, 0, read);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
