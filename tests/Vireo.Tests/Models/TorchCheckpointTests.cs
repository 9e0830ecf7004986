using System.Text.Json;
using Vireo.Models.Checkpoints;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

/// <summary>Checkpoints written by the official Lighthouse code (../shared/data/trained), read without Python.</summary>
public class TorchCheckpointTests
{
    public static TheoryData<string> Architectures => new() { "moment_detr", "qd_detr", "cg_detr" };

    private static JsonElement Manifest(string architecture)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(SharedData.Require("data/trained/manifest.json")));
        return manifest.RootElement.GetProperty("archs").GetProperty(architecture).Clone();
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void A_lighthouse_checkpoint_reads_with_every_tensor_and_its_training_options(string architecture)
    {
        var facts = Manifest(architecture);
        var path = SharedData.Require($"data/trained/{architecture}/{facts.GetProperty("checkpoint").GetString()}");

        var checkpoint = TorchCheckpoint.Read(path);
        var model = checkpoint.StateDict();
        var options = checkpoint.Options();

        Assert.Equal(facts.GetProperty("checkpoint_keys").EnumerateArray().Select(k => k.GetString()).Order(), checkpoint.Root.Keys.Cast<string>().Order());
        Assert.Equal(facts.GetProperty("n_state_dict_tensors").GetInt32(), model.Count);
        Assert.Equal(facts.GetProperty("n_params").GetInt64(), model.Values.Sum(t => t.Count));
        Assert.All(model.Values, t => Assert.Equal(t.Shape.Aggregate(1L, (a, b) => a * b), t.Count));
        Assert.All(model.Values, t => Assert.All(t.Data, v => Assert.True(float.IsFinite(v))));
        Assert.Equal(2, Convert.ToDouble(options["clip_length"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(75, Convert.ToInt32(options["max_v_l"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(256, Convert.ToInt32(options["hidden_dim"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Missing_truncated_and_foreign_files_are_named_with_the_cause()
    {
        var source = SharedData.Require("data/trained/moment_detr/clip_moment_detr_qvhighlight.ckpt");
        var folder = TestVideos.NewPath("checkpoints");
        Directory.CreateDirectory(folder);
        var truncated = Path.Combine(folder, "truncated.ckpt");
        var bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var text = Path.Combine(folder, "notes.ckpt");
        File.WriteAllText(text, "not a checkpoint");

        var missing = Assert.Throws<CheckpointException>(() => TorchCheckpoint.Read(Path.Combine(folder, "none.ckpt")));
        var cut = Assert.Throws<CheckpointException>(() => TorchCheckpoint.Read(truncated));
        var foreign = Assert.Throws<CheckpointException>(() => TorchCheckpoint.Read(text));

        Assert.Contains("no such file", missing.Message, StringComparison.Ordinal);
        Assert.StartsWith(truncated, cut.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", cut.Message, StringComparison.Ordinal);
        Assert.StartsWith(text, foreign.Message, StringComparison.Ordinal);
        Assert.Equal(Vireo.Errors.ErrorKind.Input, foreign.Kind);
    }
}
