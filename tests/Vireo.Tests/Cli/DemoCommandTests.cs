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

    private static async Task<string> TwoColourFolderAsync(string name)
    {
        var folder = TestVideos.NewPath(name);
        Directory.CreateDirectory(folder);
        await PlantedVideos.WriteAsync(Path.Combine(folder, "has-red.mp4"), 1, 30, [PlantedVideos.Targets[0]], 8, 12);
        await PlantedVideos.WriteAsync(Path.Combine(folder, "has-blue.mp4"), 2, 30, [PlantedVideos.Targets[2]], 8, 12);
        return folder;
    }

    [Fact]
    public async Task Offline_the_demo_answers_from_what_is_said_and_written_with_the_cues_times()
    {
        SharedData.Require("data/clip/bpe_simple_vocab_16e6.txt.gz");
        var videos = SharedData.Require("data/videos");
        var cues = await Vireo.TimedText.Subtitles.SubtitleChannel.ReadAsync(Path.Combine(videos, "talk.mp4"), cancellationToken: TestContext.Current.CancellationToken);
        var first = cues.Entries[0];

        var (code, output, error) = await CliRunner.RunAsync("demo", videos, "--offline",
            "--models-dir", TestVideos.NewPath("demo-models"), "--library", TestVideos.NewPath("demo-library"));

        Assert.True(code == 0, error);
        var expected = $"subtitles {Vireo.Cli.Commands.SearchCommand.Time(first.Start)}–{Vireo.Cli.Commands.SearchCommand.Time(first.End)} \"";
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Contains("talk.mp4", output[..output.IndexOf(expected, StringComparison.Ordinal)].Split('\n')[^2], StringComparison.Ordinal);
        Assert.Contains("written in the videos (subtitles, on-screen text)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_says_no_match_plainly_and_hints_with_the_users_command()
    {
        SharedData.Require("data/clip/bpe_simple_vocab_16e6.txt.gz");
        var folder = await TwoColourFolderAsync("demo-no-match");
        Environment.SetEnvironmentVariable("VIREO_COMMAND", "./vireo");
        try
        {
            var (code, output, error) = await CliRunner.RunAsync("demo", folder, "--query", "red", "--offline",
                "--models-dir", TestVideos.NewPath("demo-models"), "--library", TestVideos.NewPath("demo-library"));

            Assert.True(code == 0, error);
            var lines = output.Split('\n');
            var red = Assert.Single(lines, l => l.Contains("has-red.mp4", StringComparison.Ordinal) && !l.Contains("indexed", StringComparison.Ordinal));
            var blue = Assert.Single(lines, l => l.Contains("has-blue.mp4", StringComparison.Ordinal));
            Assert.Contains("[", red, StringComparison.Ordinal);
            Assert.Contains("no match", blue, StringComparison.Ordinal);
            Assert.DoesNotContain("[", blue, StringComparison.Ordinal);
            Assert.Single(lines, l => l.Contains("saliency", StringComparison.Ordinal));
            Assert.DoesNotContain("-0", output, StringComparison.Ordinal);
            Assert.Contains("./vireo search \"your sentence\"", output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("VIREO_COMMAND", null);
        }
    }

    [Fact]
    public async Task Demo_keeps_its_library_model_when_another_model_is_registered_and_rebuilds_for_an_asked_model()
    {
        SharedData.Require("data/clip/bpe_simple_vocab_16e6.txt.gz");
        var folder = await TwoColourFolderAsync("demo-two-models");
        var models = TestVideos.NewPath("demo-models");
        var library = TestVideos.NewPath("demo-library");
        string[] common = ["--models-dir", models, "--library", library];
        Assert.Equal(0, (await CliRunner.RunAsync(["demo", folder, "--query", "red", "--offline", .. common])).Code);
        Assert.Equal(0, (await CliRunner.RunAsync("models", "import", (await TestModels.TinyHuggingFaceAsync()).Root, "--name", "another", "--models-dir", models)).Code);

        var (code, output, error) = await CliRunner.RunAsync(["demo", folder, "--query", "red", .. common]);
        var (askedCode, askedOutput, askedError) = await CliRunner.RunAsync(["demo", folder, "--query", "red", "--model", "another", .. common]);

        Assert.True(code == 0, error);
        Assert.Contains("0 indexed, 2 already there", output, StringComparison.Ordinal);
        Assert.Contains("vireo-concepts", error, StringComparison.Ordinal);
        Assert.True(askedCode == 0, askedError);
        Assert.Contains("2 indexed", askedOutput, StringComparison.Ordinal);
        Assert.Contains("indexing the videos again", askedError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_with_a_concept_model_under_another_name_answers_what_it_can_and_goes_on()
    {
        var folder = await TwoColourFolderAsync("demo-renamed-concepts");
        var models = TestVideos.NewPath("demo-models");
        Assert.Equal(0, (await CliRunner.RunAsync("models", "import", (await TestModels.ConceptHuggingFaceAsync()).Root, "--name", "concepts2", "--models-dir", models)).Code);

        // Without --query the demo asks CLIP-style sentences ("a person walking"), of which this model knows no word.
        var (code, output, error) = await CliRunner.RunAsync("demo", folder, "--model", "concepts2", "--models-dir", models, "--library", TestVideos.NewPath("demo-library"));

        Assert.True(code == 0, error);
        Assert.Contains("2 indexed", output, StringComparison.Ordinal);
        Assert.Contains("the model finds nothing it knows in", output, StringComparison.Ordinal);
        Assert.Contains("Search it yourself", output, StringComparison.Ordinal);
    }
}
