using System.CommandLine;
using System.Globalization;
using Vireo.Imaging;
using Vireo.Cli.Terminal;

namespace Vireo.Cli.Commands;

/// <summary><c>vireo embed --model M (--text T | --image FILE)</c>: the unit-length embedding of a sentence or an image.</summary>
internal static class EmbedCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new ModelOptions();
        var text = new Option<string?>("--text") { Description = "The sentence to embed." };
        var image = new Option<string?>("--image") { Description = "An image file to embed (PNG, JPEG, ... anything FFmpeg reads)." };
        var json = CommandGuard.JsonOption();
        var command = new Command("embed", "Print the embedding of a sentence or an image.") { text, image, json };
        model.AddTo(command);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(text) is null) == (result.GetValue(image) is null))
                result.AddError("give exactly one of --text or --image");
        });
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                using var embeddingModel = model.Load(result);
                float[] vector;
                string input;
                if (result.GetValue(text) is { } sentence)
                {
                    vector = embeddingModel.Text.Encode(sentence);
                    input = sentence;
                }
                else
                {
                    input = result.GetValue(image)!;
                    using var frame = await ImageDecoder.ReadRgb24Async(input, cancellationToken: ct).ConfigureAwait(false);
                    vector = embeddingModel.Image.Encode([frame], ct).Row(0);
                }
                if (asJson)
                {
                    CliJson.Write(console.Out, new EmbedResult(embeddingModel.Identity.Name, embeddingModel.Identity.Fingerprint, input, vector.Length, vector));
                }
                else
                {
                    console.Out.WriteLine(string.Join(' ', vector.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
                }
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private sealed record EmbedResult(string Model, string Fingerprint, string Input, int Dimension, float[] Embedding);
}
