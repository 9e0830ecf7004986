using System.CommandLine;
using Vireo.Engine;
using Vireo.Models;
using Vireo.Models.Store;

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

    public Option<ModelVariant?> Variant { get; } = new("--variant")
    {
        Description = "Weights to load when the folder has several: default (float32), quantized (int8) or fp16 " +
            "(default: the variant the library was built with, else the one the model is registered with, else default).",
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

    /// <summary>The model the options name (null: the library's own, else the only registered one).</summary>
    public ModelChoice Choice(ParseResult result) => new(
        result.GetValue(Model), result.GetValue(ModelsDirectory), new EncoderOptions { Variant = result.GetValue(Variant), IntraOpThreads = result.GetValue(Threads) });

    public ModelStore Store(ParseResult result) => Choice(result).Store();

    public EmbeddingModel Load(ParseResult result) => Choice(result).Load();
}
