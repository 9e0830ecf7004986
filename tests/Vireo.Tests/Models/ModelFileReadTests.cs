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
    public async Task A_model_file_without_read_permission_is_unreadable_not_corrupt()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows() || Environment.IsPrivilegedProcess, "root reads any file (checked by hand with setpriv as nobody)");
        var file = TestVideos.NewPath("no-permission.onnx");
        await File.WriteAllBytesAsync(file, [1, 2, 3], TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file, UnixFileMode.None);

        var e = Assert.Throws<ModelFileException>(() => OnnxTower.Open(file, TowerKind.Text, new EncoderOptions(), (224, 224)));

        Assert.Contains("cannot be read: permission denied", e.Message, StringComparison.Ordinal);
    }
}
