using System.Text.Json;
using Vireo.Cli;
using Vireo.Tests.Support;
using Vireo.Cli.Terminal;

namespace Vireo.Tests.Cli;

public sealed class TokenizeCommandTests
{
    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    [Fact]
    public async Task Checks_the_shared_vectors_and_reports_all_matching()
    {
        var vectors = SharedData.Require("testvectors/clip_tokenizer.jsonl");
        var (code, output, _) = await RunAsync("tokenize", "--merges", ClipTestVocabulary.MergesPath, "--jsonl", vectors, "--json");
        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(400, json.RootElement.GetProperty("checked").GetInt32());
        Assert.Equal(400, json.RootElement.GetProperty("matched").GetInt32());
        Assert.Equal(77, json.RootElement.GetProperty("results")[3].GetProperty("ids").GetArrayLength());
    }

    [Fact]
    public async Task A_line_whose_ids_differ_fails_and_is_named()
    {
        using var folder = new TempFolder();
        var path = folder.File("vectors.jsonl");
        File.WriteAllText(path, "{\"text\": \"A\", \"bpe_ids\": [320]}\n\"plain text line\"\n{\"text\": \"A\", \"bpe_ids\": [321]}\n");
        var (code, output, error) = await RunAsync("tokenize", "--merges", ClipTestVocabulary.MergesPath, "--jsonl", path);
        Assert.Equal(ExitCodes.Internal, code);
        Assert.Contains("line 3: differs", output, StringComparison.Ordinal);
        Assert.Contains("1 of 2 lines match", output, StringComparison.Ordinal);
        Assert.Contains("1 of 2 lines differ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Texts_are_tokenized_with_the_given_context_and_pad()
    {
        var (code, output, _) = await RunAsync("tokenize", "--merges", ClipTestVocabulary.MergesPath, "A", "--context", "5", "--pad-id", "49407");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("ids [49406, 320, 49407, 49407, 49407]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_merges_file_is_an_input_error_naming_it()
    {
        using var folder = new TempFolder();
        var path = folder.File("bpe.txt.gz");
        File.WriteAllText(path, "not gzip");
        var (code, _, error) = await RunAsync("tokenize", "--merges", path, "A");
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains(path, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_vocabulary_is_required()
    {
        var (code, _, error) = await RunAsync("tokenize", "A");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--merges or --model", error, StringComparison.Ordinal);
    }
}
