using Vireo.Bench;

// dotnet run -c Release --project bench/Vireo.Bench -- <suite> [options]
IBenchSuite[] suites =
[
    new MediaBench(),
    new LibraryBench(),
    new IngestBench(),
    new TokenizerBench(),
    new PreprocessBench(),
    new EvalBench(),
    new OnnxBench(),
    new QuantizationBench(),
    new GroundingBench(),
    new TrainedBench(),
    new AnnBench(),
    new RelocalizationBench(),
    new ServerBench(),
    new OcrBench(),
    new SpeechBench(),
    new ChannelsBench(),
    new ClusterBench(),
    new CapacityBench(),
    new CapacityProbe(),
];

if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
{
    Console.WriteLine("usage: Vireo.Bench <suite> [options]   (results also go to bench-results/<suite>.json)");
    foreach (var suite in suites)
        Console.WriteLine($"  {suite.Name,-12} {suite.Description}");
    return 0;
}

var chosen = suites.FirstOrDefault(s => s.Name == args[0]);
if (chosen is null)
{
    Console.Error.WriteLine($"unknown suite '{args[0]}'; run with --help for the list");
    return 1;
}
var report = new BenchReport(chosen.Name);
await chosen.RunAsync(args[1..], report);
report.Save();
return 0;
