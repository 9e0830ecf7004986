using System.CommandLine;
using Vireo.Models;

namespace Vireo.Cli.Commands;

/// <summary>Options every command that loads a model shares.</summary>
internal sealed class ModelOptions
{
    public Option<string?> Model { get; } = new("--model", "-m")
    {
        Description = "A registered model name or a model folder (default: the only registered model). See 'vireo models list'.",
    };

    public Option<string?> ModelsDirectory { get; } = new("--models-dir")
    {
        Description = $"The model store (default: $VIREO_MODELS or {ModelStore.DefaultDirectory}).",
    };

    public Option<ModelVariant> Variant { get; } = new("--variant")
    {
        Description = "Weights to load when the folder has several: default, quantized or fp16.",
        DefaultValueFactory = _ => ModelVariant.Default,
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "ONNX Runtime threads (0: one per core).",
        DefaultValueFactory = _ => 0,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(ModelsDirectory);
        command.Options.Add(Variant);
        command.Options.Add(Threads);
    }

    public ModelStore Store(ParseResult result) => new(result.GetValue(ModelsDirectory));

    public EmbeddingModel Load(ParseResult result) =>
        Store(result).Load(result.GetValue(Model), new EncoderOptions { Variant = result.GetValue(Variant), IntraOpThreads = result.GetValue(Threads) });
}
