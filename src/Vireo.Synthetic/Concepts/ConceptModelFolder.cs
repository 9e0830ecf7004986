using Vireo.Models.Tokenization;
using Vireo.Synthetic.Clip;
using Vireo.Synthetic.Layouts;

namespace Vireo.Synthetic.Concepts;

/// <summary>
/// Writes the concept model (<see cref="ConceptClip"/>) as a Hugging Face model folder: a real CLIP-format model
/// that understands colour and pattern words only, for trying Vireo where no CLIP model can be downloaded.
/// </summary>
public static class ConceptModelFolder
{
    /// <summary>Writes the folder from CLIP's BPE merges (bpe_simple_vocab_16e6.txt.gz); returns its path.</summary>
    public static async Task<string> WriteAsync(string folder, string clipMergesPath, CancellationToken cancellationToken = default)
    {
        var vocabulary = ClipVocabulary.FromOpenAiMerges(clipMergesPath);
        var written = await ModelFolders.WriteHuggingFaceAsync(ConceptClip.FromVocabulary(vocabulary), folder, TokenizerSource.FromVocabulary(vocabulary),
            new HuggingFaceLayoutOptions { Precisions = [WeightPrecision.Float32], Combined = false }, cancellationToken).ConfigureAwait(false);
        return written.Root;
    }
}
