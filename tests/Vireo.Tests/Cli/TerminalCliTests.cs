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
    public async Task An_unknown_option_under_json_is_a_json_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("probe", "a.mp4", "--bogus", "--json");

        Assert.Equal(ExitCodes.Usage, code);
        using var json = JsonDocument.Parse(error);
        Assert.Equal("usage_error", json.RootElement.GetProperty("error").GetString());
        Assert.Contains("--bogus", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
