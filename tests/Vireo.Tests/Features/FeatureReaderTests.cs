using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Vireo.Research.Datasets;
using Vireo.Research.Features;
using Vireo.Tests.Support;

namespace Vireo.Tests.Features;

public class FeatureReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An .npy v1.0 image built byte by byte (not with Vireo's writer).</summary>
    private static byte[] NpyBytes(string descr, bool fortran, string shape, byte[] body)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        var header = dict.PadRight(118) + "\n"; // 10 + 118 + 1 = 128 bytes, aligned as NumPy aligns
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 };
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(body);
        return [.. bytes];
    }

    private static byte[] Floats(params float[] values)
    {
        var body = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(body.AsSpan(i * 4), values[i]);
        return body;
    }

    [Fact]
    public void Fortran_order_float32_is_transposed_to_row_major()
    {
        // The 2x3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column.
        var array = NpyFile.Read(NpyBytes("<f4", true, "(2, 3)", Floats(1, 4, 2, 5, 3, 6)), "m.npy");

        Assert.Equal([2, 3], array.Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], array.Data);
        Assert.Equal([4f, 5, 6], array.Row(1).ToArray());
    }

    [Fact]
    public void Fortran_order_3d()
    {
        // shape (2, 2, 2): value at [i, j, k] = 100i + 10j + k; Fortran order varies i fastest.
        var fortran = new List<float>();
        for (var k = 0; k < 2; k++)
            for (var j = 0; j < 2; j++)
                for (var i = 0; i < 2; i++)
                    fortran.Add(100 * i + 10 * j + k);

        var array = NpyFile.Read(NpyBytes("<f4", true, "(2, 2, 2)", Floats([.. fortran])), "t.npy");

        Assert.Equal([0f, 1, 10, 11, 100, 101, 110, 111], array.Data);
    }

    [Fact]
    public void Float16_big_endian_float64_and_integers()
    {
        var half = new byte[4];
        BinaryPrimitives.WriteHalfLittleEndian(half, (Half)0.5);
        BinaryPrimitives.WriteHalfLittleEndian(half.AsSpan(2), (Half)(-2));
        Assert.Equal([0.5f, -2f], NpyFile.Read(NpyBytes("<f2", false, "(2,)", half), "h.npy").Data);

        var big = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(big, 1.25f);
        BinaryPrimitives.WriteSingleBigEndian(big.AsSpan(4), 3f);
        Assert.Equal([1.25f, 3f], NpyFile.Read(NpyBytes(">f4", false, "(1, 2)", big), "b.npy").Data);

        var f8 = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(f8, 0.1);
        var doubles = NpyFile.Read(NpyBytes("<f8", false, "(1,)", f8), "d.npy");
        Assert.True(doubles.IsDoublePrecision);
        Assert.Equal(0.1, doubles.Doubles[0]);   // the stored value, not 0.1f
        Assert.Throws<InvalidOperationException>(() => doubles.Data);
        Assert.Equal(0.1f, doubles.ToSingle()[0]);

        Assert.Equal([255f, 1f], NpyFile.Read(NpyBytes("|u1", false, "(2,)", [255, 1]), "u.npy").Data);
    }

    [Fact]
    public void Bad_files_name_themselves()
    {
        Assert.Contains("bad magic", Assert.Throws<DatasetFormatException>(() => NpyFile.Read("hello world"u8, "x.npy")).Message, StringComparison.Ordinal);
        Assert.Contains("truncated", Assert.Throws<DatasetFormatException>(() => NpyFile.Read(NpyBytes("<f4", false, "(4,)", Floats(1)), "short.npy")).Message, StringComparison.Ordinal);
        Assert.Contains("unsupported dtype", Assert.Throws<DatasetFormatException>(() => NpyFile.Read(NpyBytes("<c8", false, "(1,)", new byte[8]), "c.npy")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writer_round_trips_fortran_and_half()
    {
        var array = new FeatureArray([1, 2, 3, 4, 5, 6], [3, 2]);
        var path = TestVideos.NewPath("w.npy");
        using (var stream = File.Create(path))
            NpyFile.Write(stream, array, half: true, fortranOrder: true);

        var back = await NpyFile.ReadAsync(path, Ct);

        Assert.Equal("<f2", back.SourceDType);
        Assert.Equal(array.Shape, back.Shape);
        Assert.Equal(array.Data, back.Data);
        Assert.Equal(0, new FileInfo(path).Length % 2);
    }

    [Fact]
    public async Task Npz_deflated_archive_with_several_keys()
    {
        var path = TestVideos.NewPath("a.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (var (key, body) in new[] { ("features", NpyBytes("<f4", false, "(2, 2)", Floats(1, 2, 3, 4))), ("other", NpyBytes("<f4", true, "(2, 2)", Floats(1, 2, 3, 4))) })
            {
                using var entry = zip.CreateEntry(key + ".npy", CompressionLevel.Optimal).Open();
                entry.Write(body);
            }
        }

        var all = await NpzFile.ReadAllAsync(path, Ct);
        var features = await NpzFile.ReadAsync(path, cancellationToken: Ct);

        Assert.Equal(["features", "other"], all.Keys.Order());
        Assert.Equal([1f, 2, 3, 4], features.Data);
        Assert.Equal([1f, 3, 2, 4], all["other"].Data);
        var missing = await Assert.ThrowsAsync<DatasetFormatException>(() => NpzFile.ReadAsync(path, "nope", Ct));
        Assert.Contains("keys: features, other", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qvh_qtyBzFV9yTs_60.0_210.0_clip_video.npz", "features", "<f2", new[] { 75, 512 }, 0.21875, -0.1944580078125, -965.6887793540955)]
    [InlineData("qvh_qtyBzFV9yTs_60.0_210.0_slowfast.npz", "features", "<f2", new[] { 75, 2304 }, 0.2293701171875, 0.28662109375, 27841.669036448002)]
    [InlineData("qvh_qid5263_clip_text.npz", "last_hidden_state", "<f2", new[] { 13, 512 }, 0.339111328125, -0.50244140625, 796.3310217857361)]
    [InlineData("qvh_qid5263_clip_text.npz", "pooler_output", "<f2", new[] { 512 }, -0.228515625, 0.3525390625, 3.070055842399597)]
    [InlineData("univtg_demo_vid_clip.npz", "features", "<f4", new[] { 15, 512 }, 0.495361328125, -0.10382080078125, -13.907396733760834)]
    [InlineData("univtg_demo_txt_clip.npz", "features", "<f2", new[] { 12, 512 }, 0.339111328125, -0.407958984375, 717.5844691991806)]
    public async Task Real_feature_files_match_the_manifest(string file, string key, string dtype, int[] shape, double first, double last, double sum)
    {
        var path = SharedData.Require("data/features/" + file);

        var array = await NpzFile.ReadAsync(path, key, Ct);

        Assert.Equal(dtype, array.SourceDType);
        Assert.Equal(shape, array.Shape);
        Assert.Equal(first, array.Data[0]);
        Assert.Equal(last, array.Data[^1]);
        Assert.Equal(sum, array.Data.Sum(v => (double)v), 6);
    }

    [Fact]
    public void Hdf5_in_2d_tan_layout_round_trips_through_pure_hdf()
    {
        var path = TestVideos.NewPath("features.hdf5");
        var videos = new Dictionary<string, FeatureArray>
        {
            ["AO8RW"] = new([1, 2, 3, 4, 5, 6], [3, 2]),
            ["3MSZA"] = new([0.5f, -0.5f], [1, 2]),
        };
        Hdf5FeatureFile.Write(path, videos);

        using var file = Hdf5FeatureFile.Open(path);

        Assert.Equal(["3MSZA", "AO8RW"], file.VideoIds.Order());
        var a = file.Read("AO8RW");
        Assert.Equal([3, 2], a.Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], a.Data);
        Assert.Equal([0.5f, -0.5f], file.Read("3MSZA").Data);
        Assert.Contains("no video 'ZZZZZ'", Assert.Throws<DatasetFormatException>(() => file.Read("ZZZZZ")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hdf5_group_per_video_layout_like_activitynet_c3d()
    {
        var path = TestVideos.NewPath("c3d.hdf5");
        new PureHDF.H5File
        {
            ["v_abc"] = new PureHDF.H5Group { ["c3d_features"] = new PureHDF.H5Dataset(new double[] { 1, 2, 3, 4 }, fileDims: [2, 2]) },
        }.Write(path);

        using var file = Hdf5FeatureFile.Open(path);
        var features = file.Read("v_abc");

        Assert.Equal("<f8", features.SourceDType);
        Assert.Equal([2, 2], features.Shape);
        Assert.Equal([1.0, 2, 3, 4], file.Read("v_abc", "c3d_features").Doubles);
    }

    [Fact]
    public void Not_an_hdf5_file_is_an_input_error()
    {
        var path = TestVideos.NewPath("text.h5");
        File.WriteAllText(path, "not hdf5");

        Assert.Throws<DatasetFormatException>(() => Hdf5FeatureFile.Open(path));
    }
}

public class TemporalResamplingTests
{
    // Five clips of 1-D features 0, 1, 2, 3, 4.
    private static readonly FeatureArray Five = new([0, 1, 2, 3, 4], [5, 1]);

    [Fact]
    public void Average_pool_uses_overlapping_bins_over_every_clip()
    {
        // 5 → 2: bins [0, 3) and [2, 5): means 1 and 3.
        Assert.Equal([1f, 3f], TemporalResampling.AveragePool(Five, 2).Data);
        // 5 → 5 is the identity; 5 → 10 repeats each clip twice.
        Assert.Equal(Five.Data, TemporalResampling.AveragePool(Five, 5).Data);
        Assert.Equal([0f, 0, 1, 1, 2, 2, 3, 3, 4, 4], TemporalResampling.AveragePool(Five, 10).Data);
    }

    [Fact]
    public void Rounded_bins_follow_2d_tan()
    {
        // 5 → 2: edges round(0, 2.5, 5) = (0, 2 (half to even), 5 → clamped to 4): means of [0,2) and [2,4) = 0.5 and 2.5.
        Assert.Equal([0.5f, 2.5f], TemporalResampling.RoundedBins(Five, 2).Data);
        // 5 → 3: edges round(0, 1.67, 3.33, 5) = 0, 2, 3, 4: means 0.5, 2, 3 — the last clip (4) never appears.
        Assert.Equal([0.5f, 2f, 3f], TemporalResampling.RoundedBins(Five, 3).Data);
        // 5 → 8 (upsampling): edges round(0, .625, 1.25, 1.875, 2.5, 3.125, 3.75, 4.375, 5) = 0,1,1,2,2,3,4,4,4(clamped).
        Assert.Equal([0f, 1, 1, 2, 2, 3, 4, 4], TemporalResampling.RoundedBins(Five, 8).Data);
    }

    [Fact]
    public void Vsl_net_leaves_short_features_alone()
    {
        Assert.Same(Five, TemporalResampling.RoundedBins(Five, 8, onlyDownsample: true));
    }

    [Fact]
    public void Resampling_works_per_dimension()
    {
        var two = new FeatureArray([0, 10, 2, 30, 4, 50, 6, 70], [4, 2]);

        Assert.Equal([1f, 20, 5, 60], TemporalResampling.AveragePool(two, 2).Data);
    }
}
