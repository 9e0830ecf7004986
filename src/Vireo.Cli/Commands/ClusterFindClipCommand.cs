using System.CommandLine;
using Vireo.Answers;
using Vireo.Cli.Terminal;
using Vireo.Cluster;
using Vireo.Engine;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo cluster find-clip QUERY_VIDEO [--start s --end e] --redis host:port [--deadline s] [--json]</c>: where a clip
/// occurs in every shard of the cluster, as <c>vireo find-clip</c> answers for one library (the clip is embedded once,
/// here, with the cluster's model); shards that do not answer are named.
/// </summary>
internal static class ClusterFindClipCommand
{
    public static Command Create(CliConsole console)
    {
        var clip = new QueryClipOptions();
        var clusterOptions = new ClusterOptions(client: true);
        var defaults = new EngineOptions().Relocalization;
        var top = new Option<int>("--top", "-k") { Description = "Matches to return across the cluster.", DefaultValueFactory = _ => defaults.TopK };
        var minScore = new Option<double>("--min-score")
        {
            Description = "Reporting threshold on the calibrated score (1 = identical content, 0 = like unrelated content of the same video).",
            DefaultValueFactory = _ => defaults.MinScore,
        };
        var deadline = new Option<double>("--deadline") { Description = "Seconds each shard may take per phase before the answer is made without it.", DefaultValueFactory = _ => 30 };
        var json = CommandGuard.JsonOption();
        var model = new ModelOptions();
        var command = new Command("find-clip", "Find where a video clip occurs in every shard of the cluster, as find-clip does in one library; shards that do not answer are named (a partial answer).");
        clip.AddTo(command);
        clusterOptions.AddTo(command);
        foreach (var option in new Option[] { top, minScore, deadline, json })
            command.Options.Add(option);
        model.AddTo(command);
        top.Check(k => k >= 1, "--top must be at least 1");
        minScore.Check(double.IsFinite, "--min-score must be a finite number");
        deadline.Check(s => s > 0, "--deadline must be positive");
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                using var embedding = model.Load(result);
                var options = defaults with
                {
                    TopK = result.GetValue(top), MinScore = result.GetValue(minScore), ShardDeadline = TimeSpan.FromSeconds(result.GetValue(deadline)),
                };
                var span = await clip.SpanAsync(result, ct).ConfigureAwait(false);
                await using var cluster = await ClusterSearch.ConnectAsync(clusterOptions.Connection(result), ct).ConfigureAwait(false);
                var found = await ClusterFindClip.FindAsync(cluster, result.GetRequiredValue(clip.Video), span, embedding, options, ct).ConfigureAwait(false);
                var answer = found.Result;
                if (answer.MissingShards.Count > 0)
                    console.Error.WriteLine($"partial answer: {string.Join(", ", answer.MissingShards)} did not answer");
                if (asJson)
                    CliJson.Write(console.Out, FindClipAnswers.Cluster(answer, embedding.Identity.Name, options.MinScore, found.DurationOf));
                else
                    FindClipCommand.WriteText(console.Out, answer);
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
