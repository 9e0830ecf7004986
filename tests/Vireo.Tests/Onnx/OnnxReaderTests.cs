using Vireo.Onnx;
using Vireo.Synthetic.Clip;
using Vireo.Tests.Support;

namespace Vireo.Tests.Onnx;

/// <summary>The ONNX reader: what the writer wrote comes back byte for byte, and damaged files are refused naming the file.</summary>
public class OnnxReaderTests
{
    [Theory]
    [InlineData(WeightPrecision.Float32)]
    [InlineData(WeightPrecision.Int8)]
    [InlineData(WeightPrecision.Float16)]
    public void A_written_model_reads_back_and_writes_the_same_bytes(WeightPrecision precision)
    {
        var clip = new RandomClip(ClipArchitecture.Tiny);
        foreach (var model in new[] { clip.VisionModel(EncoderSignature.HuggingFaceVision(clip.EmbedDim), precision), clip.TextModel(EncoderSignature.HuggingFaceText(clip.EmbedDim), precision) })
        {
            var bytes = model.ToArray();
            var read = OnnxModelReader.Read(bytes, "model.onnx");

            Assert.Equal(model.Graph.Nodes.Count, read.Graph.Nodes.Count);
            Assert.Equal(model.Graph.Initializers.Select(t => (t.Name, t.Data.DataType, t.Data.ElementCount)), read.Graph.Initializers.Select(t => (t.Name, t.Data.DataType, t.Data.ElementCount)));
            Assert.Equal(model.Graph.Inputs.Select(v => v.ToString()), read.Graph.Inputs.Select(v => v.ToString()));
            Assert.Equal(bytes, read.ToArray());
        }
    }

    [Fact]
    public void Fields_the_classes_do_not_model_are_kept()
    {
        var graph = new GraphBuilder("g");
        var x = graph.Input("x", OnnxDataType.Float, 2);
        graph.Output(graph.Relu(x), "y");
        var bytes = graph.ToModel().ToArray();
        // metadata_props (ModelProto field 14): { key: "k", value: "v" }, appended as a file from another exporter would carry it.
        byte[] metadata = [0x72, 0x06, 0x0A, 0x01, (byte)'k', 0x12, 0x01, (byte)'v'];
        var withMetadata = bytes.Concat(metadata).ToArray();

        var read = OnnxModelReader.Read(withMetadata, "m.onnx");

        Assert.Equal(withMetadata.Length, read.ToArray().Length);
        Assert.EndsWith(Convert.ToHexString(metadata), Convert.ToHexString(read.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_or_foreign_file_is_refused_naming_it()
    {
        var clip = new RandomClip(ClipArchitecture.Tiny);
        var bytes = clip.TextModel(EncoderSignature.HuggingFaceText(clip.EmbedDim)).ToArray();
        var path = TestVideos.NewPath("truncated.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var truncated = Assert.Throws<OnnxFormatException>(() => OnnxModelReader.Read(path));
        Assert.Contains(path, truncated.Message, StringComparison.Ordinal);
        Assert.Contains("not a valid ONNX model", truncated.Message, StringComparison.Ordinal);

        File.WriteAllText(path, "{\"this is\": \"json\"}");
        Assert.Throws<OnnxFormatException>(() => OnnxModelReader.Read(path));
    }
}
