using Vireo.Research.Datasets;
using Vireo.Tests.Support;

namespace Vireo.Tests.Datasets;

/// <summary>Loaders on small files written by the tests: formats, conversions, errors that name file and line.</summary>
public class DatasetFormatTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> WriteAsync(string name, string text)
    {
        var path = TestVideos.NewPath(name);
        await File.WriteAllTextAsync(path, text, Ct);
        return path;
    }

    [Fact]
    public async Task Charades_line_without_separator_names_file_and_line()
    {
        var path = await WriteAsync("bad.txt", "AAAAA 1.0 2.0##ok\nBBBBB 1.0 2.0 no separator\n");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() =>
            CharadesSta.LoadAsync(path, new Dictionary<string, double> { ["AAAAA"] = 10, ["BBBBB"] = 10 }, cancellationToken: Ct));

        Assert.Equal(2, error.Line);
        Assert.StartsWith(path + ":2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Charades_video_without_duration_is_a_fault()
    {
        var path = await WriteAsync("missing.txt", "AAAAA 1.0 2.0##one\nZZZZZ 1.0 2.0##two\n");
        var durations = new Dictionary<string, double> { ["AAAAA"] = 10 };

        var dataset = await CharadesSta.LoadAsync(path, durations, cancellationToken: Ct);

        Assert.Single(dataset.Queries);
        Assert.Equal(2, dataset.Faults.Single().Line);
        await Assert.ThrowsAsync<DatasetFormatException>(() =>
            CharadesSta.LoadAsync(path, durations, new DatasetLoadOptions { FaultPolicy = FaultPolicy.Fail }, Ct));
    }

    [Fact]
    public async Task Csv_with_quoted_commas_and_line_breaks()
    {
        var path = await WriteAsync("Charades_v1_x.csv", "id,descriptions,length\nAAAAA,\"a, b\n\"\"quoted\"\"\",12.5\nBBBBB,plain,3\n");

        var lengths = await CharadesSta.ReadLengthsAsync(path, Ct);

        Assert.Equal(12.5, lengths["AAAAA"]);
        Assert.Equal(3, lengths["BBBBB"]);
    }

    [Fact]
    public async Task Tacos_fps_converts_frames()
    {
        var path = await WriteAsync("tacos.json", """{"v.avi": {"timestamps": [[10, 20], [30, 25]], "sentences": ["a", "b"], "fps": 10, "num_frames": 100}}""");

        var dataset = await Tacos.LoadAsync(path, new DatasetLoadOptions { FaultPolicy = FaultPolicy.Swap }, Ct);

        Assert.Equal(2, dataset.Queries.Count);
        Assert.Equal(10, dataset.Queries[0].Duration);
        Assert.Equal(new(1, 2), dataset.Queries[0].Windows[0]);
        Assert.Equal(new(2.5, 3), dataset.Queries[1].Windows[0]);
        Assert.Equal("1", dataset.Queries[1].QueryId);
        Assert.Contains("video v.avi, sentence 1", dataset.Faults.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_with_mismatched_lists_is_an_error()
    {
        var path = await WriteAsync("anet.json", """{"v_x": {"duration": 10, "timestamps": [[1, 2]], "sentences": ["a", "b"]}}""");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => ActivityNetCaptions.LoadAsync(path, cancellationToken: Ct));

        Assert.Contains("v_x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jsonl_syntax_error_names_the_line()
    {
        var path = await WriteAsync("qvh.jsonl", "{\"qid\": 1, \"query\": \"q\", \"duration\": 150, \"vid\": \"v\"}\n{\"qid\": 2,\n");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => QvHighlights.LoadAsync(path, cancellationToken: Ct));

        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task DiDeMo_segment_helpers_round_trip()
    {
        Assert.Equal(21, DiDeMo.AllMoments.Count);
        Assert.Equal(new(10, 20), DiDeMo.ToSeconds(2, 3));
        Assert.Equal((2, 3), DiDeMo.ToSegments(10, 20));
        Assert.Null(DiDeMo.ToSegments(10, 21));
        var path = await WriteAsync("didemo.json", """[{"num_segments": 6, "description": "x", "times": [[1, 1], [0, 7]], "video": "v", "annotation_id": 5}]""");
        var dataset = await DiDeMo.LoadAsync(path, cancellationToken: Ct);
        Assert.Empty(dataset.Queries);
        Assert.Contains("annotation 5", dataset.Faults.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_is_named()
    {
        var path = TestVideos.NewPath("absent.json");

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Tacos.LoadAsync(path, cancellationToken: Ct));

        Assert.Equal(path, error.FilePath);
    }
}
