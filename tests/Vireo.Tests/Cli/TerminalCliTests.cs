using System.Text.Json;
using Vireo.Cli;
using Vireo.Cli.Terminal;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cli;

/// <summary>What the command line prints to a terminal: bad option values, control characters in names, interruptions.</summary>
public class TerminalCliTests
{
    public static TheoryData<string[]> BadOptionValues => new()
    {
        new[] { "search", "x", "--top", "abc" },
        new[] { "search", "x", "--moments", "x" },
        new[] { "index", "x", "--clip-length", "abc" },
        new[] { "index", "x", "--clip-length", "Infinity" },
        new[] { "index", "x", "--batch-size", "1.5" },
        new[] { "ground", "v.mp4", "x", "--top", "zz" },
        new[] { "frames", "v.mp4", "--out", "o", "--fps", "abc" },
        new[] { "find-clip", "v.mp4", "--start", "abc" },
        new[] { "find-clip", "v.mp4", "--start", "1", "--end", "x" },
        new[] { "find-clip", "v.mp4", "--min-score", "NaN" },
        new[] { "find-clip", "v.mp4", "--end", "-5" },
    };

    [Theory]
    [MemberData(nameof(BadOptionValues))]
    public async Task A_bad_option_value_is_a_one_line_usage_error(string[] args)
    {
        var (code, output, error) = await CliRunner.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(args[^2], line, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadOptionValues))]
    public async Task A_bad_option_value_under_json_is_a_json_usage_error(string[] args)
    {
        var (code, output, error) = await CliRunner.RunAsync([.. args, "--json"]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        using var json = JsonDocument.Parse(error);
        Assert.Equal("usage_error", json.RootElement.GetProperty("error").GetString());
        Assert.Contains(args[^2], json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_usage_error_of_a_subcommand_points_to_its_help()
    {
        var (code, _, error) = await CliRunner.RunAsync("eval", "grounding", "--dataset", "x", "--predictions", "p", "--nms", "abc");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("error: --nms: 'abc' is not a number (see 'vireo eval grounding --help')", error.Trim());
    }

    [Fact]
    public async Task An_unknown_option_under_json_is_a_json_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("probe", "a.mp4", "--bogus", "--json");

        Assert.Equal(ExitCodes.Usage, code);
        using var json = JsonDocument.Parse(error);
        Assert.Equal("usage_error", json.RootElement.GetProperty("error").GetString());
        Assert.Contains("--bogus", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private const string Hostile = "a\u001b]0;pwned\u0007b\u001b[2J\u009bc";

    private static void AssertNoControlCharacters(string text)
    {
        Assert.DoesNotContain(text, c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r');
    }

    [Fact]
    public async Task Control_characters_in_an_error_message_are_shown_not_sent()
    {
        var (code, _, error) = await CliRunner.RunAsync("probe", TestVideos.NewPath(Hostile + ".mp4"));

        Assert.Equal(ExitCodes.InputError, code);
        AssertNoControlCharacters(error);
        Assert.Contains("a\\x1b]0;pwned\\x07b\\x1b[2J\\x9bc", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_and_search_show_control_characters_in_file_names()
    {
        var folder = TestVideos.NewPath("hostile-names");
        Directory.CreateDirectory(folder);
        await PlantedVideos.WriteAsync(Path.Combine(folder, Hostile + ".mp4"), 3, 12, [PlantedVideos.Targets[0]], 4, 6);
        await File.WriteAllTextAsync(Path.Combine(folder, Hostile + "-broken.mp4"), "not a video", TestContext.Current.CancellationToken);
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;
        var library = Path.Combine(folder, "library");

        var (indexCode, indexOut, indexError) = await CliRunner.RunAsync("index", folder, "--library", library, "--model", model);
        var (searchCode, searchOut, searchError) = await CliRunner.RunAsync("search", "red", "--library", library);

        Assert.True(indexCode == ExitCodes.Partial, indexError); // the broken file failed, the other was indexed
        Assert.True(searchCode == 0, searchError);
        Assert.Contains("\\x1b]0;pwned", indexError, StringComparison.Ordinal);
        Assert.Contains("\\x1b]0;pwned", searchOut, StringComparison.Ordinal);
        foreach (var text in new[] { indexOut, indexError, searchOut, searchError })
            AssertNoControlCharacters(text);
    }

    [Fact]
    public void The_terminal_writer_keeps_new_lines_and_tabs_and_shows_other_controls()
    {
        var inner = new StringWriter();
        var console = new CliConsole(inner, new StringWriter(), interactive: false);

        console.Out.Write('\u001b');
        console.Out.Write("\tx\u0000\u007f");
        console.Out.WriteLine("é\u0085");

        Assert.Equal("\\x1b\tx\\x00\\x7fé\\x85" + Environment.NewLine, inner.ToString());
    }

    [Fact]
    public async Task An_interrupted_command_says_so_in_one_line_and_exits_130()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var (code, output, error) = await CliRunner.RunAsync(cancelled.Token, "search", "red", "--library", TestVideos.NewPath("no-library"));
        var (jsonCode, _, jsonError) = await CliRunner.RunAsync(cancelled.Token, "probe", TestVideos.NewPath("missing.mp4"), "--json");

        Assert.Equal((ExitCodes.Cancelled, "", "interrupted"), (code, output, error.Trim()));
        Assert.Equal(ExitCodes.Cancelled, jsonCode);
        using var json = JsonDocument.Parse(jsonError);
        Assert.Equal("cancelled", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Interrupting_a_running_index_says_interrupted()
    {
        var folder = TestVideos.NewPath("interrupted-index");
        Directory.CreateDirectory(folder);
        await PlantedVideos.WriteAsync(Path.Combine(folder, "long.mp4"), 4, 120, [PlantedVideos.Targets[1]], 10, 20);
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;
        using var soon = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        soon.CancelAfter(TimeSpan.FromMilliseconds(400));

        var (code, _, error) = await CliRunner.RunAsync(soon.Token, "index", folder, "--library", Path.Combine(folder, "library"), "--model", model);

        Assert.Equal((ExitCodes.Cancelled, "interrupted"), (code, error.Trim()));
    }
}
