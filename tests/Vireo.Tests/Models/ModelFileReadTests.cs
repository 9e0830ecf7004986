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
        var source = (await TestModels.ConceptHuggingFaceAsync()).Root;
        var copy = TestVideos.NewPath("no-permission-model");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetUnixFileMode(target, (UnixFileMode)0b110_100_100);
        }
        var textModel = Directory.EnumerateFiles(copy, "text_model.onnx", SearchOption.AllDirectories).Single();
        File.SetUnixFileMode(textModel, UnixFileMode.UserRead | UnixFileMode.UserWrite); // root's only
        var home = TestVideos.NewPath("no-permission-home");
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, (UnixFileMode)0b111_111_111);

        var (code, _, error) = await CliRunner.RunProcessAsync(["embed", "--text", "red", "--model", copy, "--models-dir", home],
            new() { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home }, asNobody: true);

        Assert.True(code == Vireo.Cli.Terminal.ExitCodes.InputError, $"exit {code}: {error}");
        Assert.Contains("cannot be read: permission denied", error, StringComparison.Ordinal);
        Assert.DoesNotContain("corrupt", error, StringComparison.Ordinal);
    }
}
