using System.CommandLine;
using Vireo.Grounding.Trained;

namespace Vireo.Cli.Commands;

/// <summary><c>--grounder NAME</c>: a trained grounder for the moment stage instead of the zero-shot one.</summary>
internal static class GrounderOption
{
    public static Option<string?> Create(string use) => new("--grounder")
    {
        Description = $"A trained grounder (see 'vireo models list'; import one with 'vireo models import CHECKPOINT.ckpt') instead of the zero-shot grounder. {use}",
    };

    /// <summary>The grounder's name as a cluster's silos are asked for it (each opens it from its own model store), or null when not given.</summary>
    /// <exception cref="Errors.UsageException">The option gives a path, not a name.</exception>
    public static string? Name(ParseResult result, Option<string?> option) =>
        result.GetValue(option) is { } name ? SharedGrounders.CheckName(name) : null;

    /// <summary>The grounder the option names (in the model store of <paramref name="models"/>), or null when not given.</summary>
    public static TrainedGrounder? Open(ParseResult result, Option<string?> option, ModelOptions models) =>
        result.GetValue(option) is { } name ? new GrounderStore(result.GetValue(models.ModelsDirectory)).Open(name) : null;
}
