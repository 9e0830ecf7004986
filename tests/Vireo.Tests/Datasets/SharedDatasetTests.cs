using Vireo.Research.Datasets;
using Vireo.Tests.Support;

namespace Vireo.Tests.Datasets;

/// <summary>Every annotation file in ../shared/data loads with the counts of data/MANIFEST.md.</summary>
public class SharedDatasetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Data(string relative) => SharedData.Require(Path.Combine("data", relative));

    [Fact]
    public async Task Charades_sta_test_has_3720_queries_with_durations()
    {
        var dataset = await DatasetCatalog.LoadGroundingAsync("charades-sta", "test", SharedData.Require("data"), cancellationToken: Ct);

        Assert.Equal(3720, dataset.Queries.Count);
        Assert.Empty(dataset.Faults);
        var first = dataset.Queries[0];
        Assert.Equal(("3MSZA", 24.3, 30.4, "person turn a light on."), (first.VideoId, first.Windows[0].Start, first.Windows[0].End, first.Sentence));
        Assert.Equal("0", first.QueryId);
        Assert.All(dataset.Queries, q => Assert.True(q.Duration > 0));
    }

    [Fact]
    public async Task Charades_sta_train_reports_its_inverted_lines_by_policy()
    {
        var path = Data("charades_sta/charades_sta_train.txt");
        string[] csv = [Data("charades_sta/Charades_v1_train.csv"), Data("charades_sta/Charades_v1_test.csv")];

        var skipped = await CharadesSta.LoadAsync(path, csv, cancellationToken: Ct);
        // MANIFEST.md names LEOL6 and IOL8Q; the file has two more inverted lines (AKKWU 38.0 13.0, twice).
        Assert.Equal(12404, skipped.Queries.Count);
        Assert.Equal([8252, 8440, 9623, 9624], skipped.Faults.Select(f => f.Line));
        Assert.All(skipped.Faults, f => Assert.Equal(path, f.File));
        Assert.Contains("LEOL6", skipped.Faults[0].Message, StringComparison.Ordinal);
        Assert.Equal("skipped", skipped.Faults[0].Action);

        var swapped = await CharadesSta.LoadAsync(path, csv, new DatasetLoadOptions { FaultPolicy = FaultPolicy.Swap }, Ct);
        Assert.Equal(12408, swapped.Queries.Count);
        var leol6 = swapped.Queries.Single(q => q.Line == 8252);
        Assert.Equal((7.0, 8.0), (leol6.Windows[0].Start, leol6.Windows[0].End));
        Assert.Equal("8251", leol6.QueryId);

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() =>
            CharadesSta.LoadAsync(path, csv, new DatasetLoadOptions { FaultPolicy = FaultPolicy.Fail }, Ct));
        Assert.Equal(8252, error.Line);
        Assert.Contains(path + ":8252:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("charades_sta/Charades_v1_train.csv", 7985)]
    [InlineData("charades_sta/Charades_v1_test.csv", 1863)]
    public async Task Charades_metadata_lengths(string file, int videos)
    {
        var lengths = await CharadesSta.ReadLengthsAsync(Data(file), Ct);

        Assert.Equal(videos, lengths.Count);
        Assert.All(lengths.Values, l => Assert.True(l > 0));
    }

    [Fact]
    public async Task Charades_valid_video_list()
    {
        var ids = await CharadesSta.ReadVideoListAsync(Data("charades_sta/valid_videos.txt"), Ct);

        Assert.Equal(6672, ids.Count);
        Assert.Equal("AO8RW", ids[0]);
    }

    [Theory]
    [InlineData("train", 75, 9790)]
    [InlineData("val", 27, 4436)]
    [InlineData("test", 25, 4001)]
    public async Task Tacos_splits_convert_frames_to_seconds(string split, int videos, int sentences)
    {
        var dataset = await DatasetCatalog.LoadGroundingAsync("tacos", split, SharedData.Require("data"), cancellationToken: Ct);

        Assert.Equal(videos, dataset.VideoCount);
        Assert.Equal(sentences, dataset.Queries.Count);
        if (split == "train")
        {
            var first = dataset.Queries[0];
            Assert.Equal("s17-d69.avi", first.VideoId);
            Assert.Equal(224 / 29.4, first.Windows[0].Start, 9);
            Assert.Equal(358 / 29.4, first.Windows[0].End, 9);
        }
    }

    [Theory]
    [InlineData("train", 10009, 37421, 2)]
    [InlineData("val", 4917, 17505, 0)]
    [InlineData("test", 4885, 17031, 0)]
    public async Task ActivityNet_captions_splits_follow_2d_tan(string split, int videos, int sentences, int inverted)
    {
        var root = SharedData.Require("data");
        var dataset = await DatasetCatalog.LoadGroundingAsync("activitynet-captions", split, root, new DatasetLoadOptions { FaultPolicy = FaultPolicy.Swap }, Ct);

        Assert.Equal(videos, dataset.VideoCount);
        Assert.Equal(sentences, dataset.Queries.Count);
        Assert.Equal(inverted, dataset.Faults.Count);
        Assert.EndsWith(split switch { "val" => "val_1.json", "test" => "val_2.json", _ => "train.json" }, dataset.Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("val", 4180, 1094)]
    [InlineData("test", 4021, 1037)]
    public async Task DiDeMo_segments_become_seconds(string split, int queries, int videos)
    {
        var dataset = await DatasetCatalog.LoadGroundingAsync("didemo", split, SharedData.Require("data"), cancellationToken: Ct);

        Assert.Equal(queries, dataset.Queries.Count);
        Assert.Equal(videos, dataset.VideoCount);
        Assert.All(dataset.Queries, q => Assert.InRange(q.Windows.Count, 4, 7));
        if (split == "val")
        {
            var first = dataset.Queries[0];
            Assert.Equal("49152", first.QueryId);
            Assert.Equal(30, first.Duration);
            Assert.Equal([new(5, 10), new(5, 10), new(5, 10), new(0, 5)], first.Windows);
        }
    }

    [Fact]
    public async Task DiDeMo_hash_map()
    {
        var map = await DiDeMo.ReadHashesAsync(Data("didemo/yfcc100m_hash.txt"), Ct);

        Assert.Equal(10464, map.Count);
        Assert.Equal("5b85c5f263745fa9ff83787ba78cfb", map["6010978700"]);
    }

    [Theory]
    [InlineData("highlight_train_release.jsonl", 7218, true)]
    [InlineData("highlight_val_release.jsonl", 1550, true)]
    [InlineData("highlight_test_release.jsonl", 1542, false)]
    [InlineData("highlight_test_with_gt.jsonl", 1542, true)]
    [InlineData("queries.jsonl", 1, true)]
    public async Task QvHighlights_files(string file, int lines, bool groundTruth)
    {
        var dataset = await QvHighlights.LoadAsync(Data("qvhighlights/" + file), cancellationToken: Ct);

        Assert.Equal(lines, dataset.Queries.Count);
        Assert.All(dataset.Queries, q => Assert.Equal(groundTruth, q.Windows.Count > 0));
        Assert.All(dataset.Queries, q => Assert.Equal(groundTruth, q.Saliency is not null));
        if (file == "queries.jsonl")
        {
            var q = dataset.Queries[0];
            Assert.Equal(("8056", "RoripwjYFp8_60.0_210.0", 150.0), (q.QueryId, q.VideoId, q.Duration));
            Assert.Equal([new(106, 122)], q.Windows);
            Assert.Equal(3, q.Saliency!.Raters);
            Assert.Equal(8, q.Saliency.ClipIds.Count);
            Assert.Equal(53, q.Saliency.ClipIds[0]);
        }
    }

    [Fact]
    public async Task MsrVtt_1k_a_test_is_one_caption_per_video()
    {
        var dataset = await MsrVtt.LoadAsync(Data("msrvtt/MSRVTT_JSFUSION_test.csv"), Ct);

        Assert.Equal(1000, dataset.Captions.Count);
        Assert.Equal(1000, dataset.Videos.Count);
        Assert.True(dataset.IsOneCaptionPerVideo);
        Assert.Equal(new RetrievalCaption("ret0", "video9770", "a person is connecting something to system"), dataset.Captions[0]);
    }

    [Theory]
    [InlineData("MSRVTT_train.9k.csv", 9000)]
    [InlineData("MSRVTT_train.7k.csv", 7010)]
    public async Task MsrVtt_train_lists(string file, int videos)
    {
        var list = await MsrVtt.LoadVideoListAsync(Data("msrvtt/" + file), Ct);

        Assert.Equal(videos, list.Count);
        Assert.Equal("video0", list[0]);
    }
}
