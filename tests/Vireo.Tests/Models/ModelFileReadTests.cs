using Vireo.Models;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

/// <summary>A model file that cannot be read is said to be unreadable, not corrupt.</summary>
public class ModelFileReadTests
{
    [Fact]
    public void A_model_path_that_cannot_be_opened_is_unreadable_not_corrupt()
    {
        var folder = TestVideos.NewPath("unreadable-model");
        var notAFile = Path.Combine(folder, "text_model.onnx");
        Directory.CreateDirectory(notAFile);

        var e = Assert.Throws<ModelFileException>(() => OnnxTower.Open(notAFile, TowerKind.Text, new EncoderOptions(), (224, 224)));

        Assert.Contains("cannot be read", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("corrupt", e.Message, StringComparison.Ordinal);
        Assert.Equal(notAFile, e.ModelPath);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_model_file_without_read_permission_is_unreadable_not_corrupt()
    {
        CliRunner.RequireNobody();
        var copy = await ReadableCopyAsync("no-permission-model");
        var textModel = Directory.EnumerateFiles(copy, "text_model.onnx", SearchOption.AllDirectories).Single();
        File.SetUnixFileMode(textModel, UnixFileMode.UserRead | UnixFileMode.UserWrite); // root's only

        var error = await EmbedAsNobodyAsync(copy);

        Assert.Contains("text_model.onnx: cannot be read: permission denied", error, StringComparison.Ordinal);
        Assert.DoesNotContain("corrupt", error, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_model_folder_without_list_permission_is_unreadable_not_an_unknown_layout()
    {
        CliRunner.RequireNobody();
        var copy = await ReadableCopyAsync("no-permission-folder");
        var onnx = Path.Combine(copy, "onnx");
        Assert.True(Directory.Exists(onnx), "the concept model's HF layout keeps its ONNX files in onnx/");
        File.SetUnixFileMode(onnx, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // root's only

        var error = await EmbedAsNobodyAsync(copy);

        Assert.Contains("onnx: cannot be read: permission denied", error, StringComparison.Ordinal);
        Assert.DoesNotContain("no supported model layout", error, StringComparison.Ordinal);
    }

    /// <summary>A copy of the concept model that the user nobody may read.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task<string> ReadableCopyAsync(string name)
    {
        var source = (await TestModels.ConceptHuggingFaceAsync()).Root;
        var copy = TestVideos.NewPath(name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetUnixFileMode(target, (UnixFileMode)0b110_100_100);
        }
        return copy;
    }

    /// <summary>Runs <c>vireo embed</c> with the model folder as nobody; the exit code must be the input error's, and standard error is returned.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task<string> EmbedAsNobodyAsync(string modelFolder)
    {
        var home = TestVideos.NewPath("no-permission-home");
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, (UnixFileMode)0b111_111_111);
        var (code, _, error) = await CliRunner.RunProcessAsync(["embed", "--text", "red", "--model", modelFolder, "--models-dir", home],
            new() { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home }, asNobody: true);
        Assert.True(code == Vireo.Cli.Terminal.ExitCodes.InputError, $"exit {code}: {error}");
        return error;
    }
}
