using Vireo.Cli;
using Vireo.Tests.Support;
using Vireo.Cli.Terminal;

namespace Vireo.Tests.Cli;

public class DemoCommandTests
{
    [Fact]
    public async Task Demo_offline_builds_the_concept_model_indexes_and_searches()
    {
        SharedData.Require("data/clip/bpe_simple_vocab_16e6.txt.gz");
        var ct = TestContext.Current.CancellationToken;
        var folder = TestVideos.NewPath("demo-videos");
        Directory.CreateDirectory(folder);
        await PlantedVideos.WriteAsync(Path.Combine(folder, "has-red.mp4"), 1, 30, [PlantedVideos.Targets[0]], 8, 12);
        await PlantedVideos.WriteAsync(Path.Combine(folder, "has-blue.mp4"), 2, 30, [PlantedVideos.Targets[2]], 8, 12);
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error, interactive: false);
        string[] common = ["--offline", "--models-dir", TestVideos.NewPath("demo-models"), "--library", TestVideos.NewPath("demo-library")];

        var code = await VireoCli.InvokeAsync(["demo", folder, "--query", "red", "--query", "blue", .. common], console, ct);

        Assert.True(code == 0, error.ToString());
        var text = output.ToString();
        Assert.Contains("2 indexed", text, StringComparison.Ordinal);
        var red = text.IndexOf("\"red\"", StringComparison.Ordinal);
        var blue = text.IndexOf("\"blue\"", StringComparison.Ordinal);
        Assert.True(red >= 0 && blue > red, text);
        Assert.Contains("has-red.mp4", text[red..blue].Split('\n')[1], StringComparison.Ordinal);
        Assert.Contains("has-blue.mp4", text[blue..].Split('\n')[1], StringComparison.Ordinal);
        Assert.Contains("colour-concept model", text, StringComparison.Ordinal);

        // A second run reuses the registered concept model and the indexed videos.
        output.GetStringBuilder().Clear();
        Assert.Equal(0, await VireoCli.InvokeAsync(["demo", folder, "--query", "red", .. common], console, ct));
        Assert.Contains("0 indexed, 2 already there", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_of_a_missing_folder_is_an_input_error()
    {
        var console = new CliConsole(new StringWriter(), new StringWriter(), interactive: false);

        Assert.Equal(ExitCodes.InputError, await VireoCli.InvokeAsync(["demo", TestVideos.NewPath("nowhere"), "--offline"], console, TestContext.Current.CancellationToken));
    }
}
