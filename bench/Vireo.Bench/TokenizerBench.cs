using Vireo.Synthetic;
using System.Diagnostics;
using Vireo.Models.Tokenization;

namespace Vireo.Bench;

/// <summary>CLIP tokenizer throughput on one thread: short search queries and long captions, cold and warm word cache.</summary>
internal sealed class TokenizerBench : IBenchSuite
{
    private static readonly string[] Queries =
    [
        "a man opens the door", "person turns on the light", "a dog catches a frisbee", "chef makes pizza and cuts it up",
        "a woman is dancing", "someone pours coffee into a cup", "kids play soccer in the park", "a car drives through the rain",
        "the crowd cheers", "a person sits on the couch watching tv", "man rides a bike down the hill", "a cat jumps onto the table",
    ];

    public string Name => "tokenizer";

    public string Description => "CLIP BPE tokenizer: short queries per second on one thread (context 77, int64)";

    public Task RunAsync(string[] args, BenchReport report)
    {
        var merges = args.SkipWhile(a => a != "--merges").Skip(1).FirstOrDefault()
            ?? SharedFiles.Require(SharedFiles.ClipMerges, "the tokenizer suite (or --merges FILE)");
        report.Context("load_average_at_start", BenchMachine.LoadAverage());
        var load = Stopwatch.StartNew();
        var tokenizer = ClipTokenizer.FromOpenAiMerges(merges);
        report.Add("load bpe_simple_vocab_16e6.txt.gz", load.Elapsed.TotalMilliseconds, "ms");

        // Fresh queries for every round: each has two words never seen before, so their BPE is computed, not cached.
        var fresh = 0;
        var cold = BenchMachine.Best(() =>
        {
            var texts = Enumerable.Range(fresh, 5_000).Select(i => $"{Queries[i % Queries.Length]} number{i} with item{i * 7919 % 100_003}").ToArray();
            fresh += texts.Length;
            return Measure(tokenizer, texts, 0);
        });
        report.Add("short queries with two unseen words each", cold, "queries/s", "best of 5 rounds of 5,000 fresh queries");
        report.Add("short queries, warm word cache", BenchMachine.Best(() => Measure(tokenizer, Queries, 0.4)), "queries/s", $"{Queries.Length} common queries; best of 5 rounds of 0.4 s");
        var captions = Queries.Select(q => string.Join(", then ", Enumerable.Repeat(q, 6))).ToArray();
        report.Add("long captions (~40 tokens), warm cache", BenchMachine.Best(() => Measure(tokenizer, captions, 0.4)), "captions/s", "best of 5 rounds of 0.4 s");
        return Task.CompletedTask;
    }

    private static double Measure(ClipTokenizer tokenizer, string[] texts, double seconds)
    {
        var ids = new long[tokenizer.ContextLength];
        var mask = new long[tokenizer.ContextLength];
        foreach (var text in texts.Take(100))
            tokenizer.EncodeContext<long>(text, ids, mask);
        return BenchMachine.Rate(seconds, () =>
        {
            foreach (var text in texts)
                tokenizer.EncodeContext<long>(text, ids, mask);
            return texts.Length;
        });
    }
}
