using System.CommandLine;
using Vireo.Engine;
using Vireo.Errors;
using Vireo.Library;
using Vireo.Ingest;
using Vireo.Models;
using Vireo.Models.Store;
using Vireo.Retrieval;
using Vireo.Synthetic;
using Vireo.Synthetic.Concepts;
using Vireo.TimedText;
using Vireo.TimedText.Ocr;
using Vireo.Cli.Terminal;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo demo [FOLDER]</c>: the main job in one command. Finds a model (the registered one; else downloads
/// OpenAI CLIP ViT-B/32 from the Hugging Face hub; offline, builds the colour-concept model from CLIP's merges),
/// indexes the folder into a demo library, and searches it with a few sentences.
/// </summary>
internal static class DemoCommand
{
    private const string CatalogModel = "Xenova/clip-vit-base-patch32";
    private const string ConceptModelName = "vireo-concepts";

    public static Command Create(CliConsole console)
    {
        var folder = new Argument<string>("folder") { Description = "Videos to index and search (searched recursively).", DefaultValueFactory = _ => "." };
        var library = new Option<string>("--library", "-l")
        {
            Description = "The demo library (default: a 'demo-library' folder beside the default library).",
            DefaultValueFactory = _ => Path.Combine(Path.GetDirectoryName(VideoLibrary.DefaultDirectory.TrimEnd(Path.DirectorySeparatorChar))!, "demo-library"),
        };
        var queries = new Option<string[]>("--query", "-q") { Description = "Sentences to search for (default: a few examples that suit the model).", AllowMultipleArgumentsPerToken = true };
        var offline = new Option<bool>("--offline") { Description = "Do not try to download a model." };
        var model = new ModelOptions();
        var command = new Command("demo", "Index a folder of videos into a demo library and search it: the main job in one command.") { folder, library, queries, offline };
        model.AddTo(command);
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, false, async () =>
        {
            var videos = result.GetRequiredValue(folder);
            if (!Directory.Exists(videos) && !File.Exists(videos))
                throw new CliInputException($"{videos}: no such folder or file", videos);
            var demoLibrary = VideoLibrary.Open(result.GetRequiredValue(library));
            var (embeddingModel, isConceptModel) = LibraryModel(console, model, result, demoLibrary)
                ?? await ModelAsync(console, model, result, result.GetValue(offline), ct).ConfigureAwait(false);
            using (embeddingModel)
            {
                demoLibrary = ForModel(console, demoLibrary, embeddingModel.Identity);
                console.Error.WriteLine($"Indexing {Path.GetFullPath(videos)} into {demoLibrary.Directory} with {embeddingModel.Identity.Name}...");
                using var engine = VireoEngine.Over(demoLibrary, embeddingModel);
                var readsScreen = File.Exists(TesseractTool.Default.ExecutablePath);
                var channels = readsScreen ? new HashSet<TextChannel> { TextChannel.Subtitles, TextChannel.Ocr } : IngestOptions.DefaultChannels;
                var report = await engine.IndexAsync([videos], engine.Options.Ingest with { Channels = channels }, cancellationToken: ct).ConfigureAwait(false);
                console.Out.WriteLine($"{report.Added + report.Updated} indexed, {report.Unchanged + report.Reused} already there, {report.Failures.Count} failed ({report.SecondsIndexed:0.#} s of video in {report.Elapsed.TotalSeconds:0.#} s).");
                foreach (var failure in report.Failures)
                    console.Error.WriteLine($"failed: {failure.Error}");

                var sentences = result.GetValue(queries) is { Length: > 0 } given ? given
                    : isConceptModel ? ["something white", "a dark black scene", .. DemoTextQueries.From(demoLibrary)]
                    : ["a person walking", "someone opening a door", "a close-up of a face", .. DemoTextQueries.From(demoLibrary)];
                var options = engine.Options.Search with { TopVideos = 3, MomentsPerVideo = 3, TopMoments = 3 };
                foreach (var sentence in sentences)
                {
                    console.Out.WriteLine();
                    console.Out.WriteLine($"\"{sentence}\"");
                    SearchResult answer;
                    try
                    {
                        answer = await engine.SearchAsync(sentence, options, ct).ConfigureAwait(false);
                    }
                    catch (UsageException e)
                    {
                        // A sentence this model knows no word of (a colour-concept model asked about people) is one
                        // unanswerable example, not the end of the demo.
                        console.Out.WriteLine($"  {e.Message}");
                        continue;
                    }
                    foreach (var hit in answer.Videos)
                        WriteHit(console.Out, hit);
                }
                console.Out.WriteLine();
                console.Out.WriteLine($"Search it yourself: {UserCommand()} search \"your sentence\" --library {demoLibrary.Directory}");
                if (!readsScreen)
                    console.Out.WriteLine($"On-screen text was not read: Tesseract is not installed (Debian/Ubuntu: sudo apt-get install tesseract-ocr).");
                if (isConceptModel)
                {
                    console.Out.WriteLine("Note: this used Vireo's synthetic colour-concept model (no CLIP model was available when the demo library");
                    console.Out.WriteLine("was built), which only understands colour and pattern words; sentences were answered from what is said and");
                    console.Out.WriteLine($"written in the videos (subtitles, on-screen text). For visual search with a network: {UserCommand()} models pull {CatalogModel},");
                    console.Out.WriteLine($"then {UserCommand()} demo {Path.GetFullPath(videos)} --model {CatalogModel.Split('/')[1]}");
                }
                return ExitCodes.Ok;
            }
        }));
        return command;
    }

    /// <summary>One video's line: its score, name and moments, then its saliency curve; or "no match" (no moment: nothing in it stands out).</summary>
    private static void WriteHit(TextWriter output, VideoHit hit)
    {
        var name = Path.GetFileName(hit.Path);
        if (hit.Moments.Count == 0)
        {
            output.WriteLine($"  {SearchCommand.Score(hit.Score)}  {name}  no match");
            return;
        }
        var moments = string.Join("  ", hit.Moments.Select(m => $"[{SearchCommand.Time(m.Start)}–{SearchCommand.Time(m.End)}]"));
        output.WriteLine($"  {SearchCommand.Score(hit.Score)}  {name}  {moments}");
        foreach (var text in hit.MatchedText.Take(2))
            output.WriteLine($"         {SearchCommand.Quote(text)}");
        if (hit.Saliency.Length > 0)
            output.WriteLine($"         saliency {GroundCommand.Sparkline(Normalized(hit.Saliency))}");
    }

    /// <summary>How the user runs Vireo, for hints: <c>$VIREO_COMMAND</c> (the repository's ./vireo sets it), else "vireo".</summary>
    internal static string UserCommand() =>
        Environment.GetEnvironmentVariable("VIREO_COMMAND") is { Length: > 0 } command ? command : "vireo";

    /// <summary>Without --model, the model the demo library was built with, when it is on this machine.</summary>
    private static (EmbeddingModel Model, bool IsConcept)? LibraryModel(CliConsole console, ModelOptions options, ParseResult result, VideoLibrary demoLibrary)
    {
        if (result.GetValue(options.Model) is not null || demoLibrary.Settings is not { } settings)
            return null;
        try
        {
            var loaded = options.Choice(result).LoadFor(demoLibrary);
            console.Error.WriteLine($"Using {settings.Model.Name}, the model {demoLibrary.Directory} was built with.");
            return (loaded, settings.Model.Name == ConceptModelName);
        }
        catch (ModelNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The demo library for <paramref name="model"/>: the one given when it is new or was built with that model, else a
    /// sibling library named after the model (the videos are indexed again there; the other library stays as it is).
    /// </summary>
    private static VideoLibrary ForModel(CliConsole console, VideoLibrary demoLibrary, ModelIdentity model)
    {
        if (demoLibrary.Settings is not { } settings || settings.Model.IsCompatibleWith(model))
            return demoLibrary;
        var slug = string.Concat(model.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')).Trim('-');
        var other = VideoLibrary.Open(demoLibrary.Directory.TrimEnd(Path.DirectorySeparatorChar) + "-" + slug);
        console.Error.WriteLine(
            $"{demoLibrary.Directory} was built with model '{settings.Model.Name}'; using {other.Directory} for '{model.Name}' (indexing the videos again there).");
        return other;
    }

    /// <summary>The model to use, and whether it is the concept model.</summary>
    private static async Task<(EmbeddingModel Model, bool IsConcept)> ModelAsync(CliConsole console, ModelOptions options, ParseResult result, bool offline, CancellationToken ct)
    {
        var store = options.Store(result);
        if (result.GetValue(options.Model) is not null)
            return (options.Load(result), false);
        var registered = store.List();
        var real = registered.FirstOrDefault(m => m.Name != ConceptModelName);
        if (real is not null)
            return (store.Load(real.Name), false);
        if (!offline)
        {
            try
            {
                console.Error.WriteLine($"No model registered: downloading {CatalogModel} (quantized, about 150 MB)...");
                using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
                var pulled = await store.PullAsync(new HubClient(http), CatalogModel, variant: ModelVariant.Quantized, cancellationToken: ct).ConfigureAwait(false);
                return (store.Load(pulled.Name), false);
            }
            catch (ModelDownloadException e)
            {
                console.Error.WriteLine($"The download failed ({e.Message.Split(';')[0]}).");
            }
        }
        if (registered.Any(m => m.Name == ConceptModelName))
            return (store.Load(ConceptModelName), true);
        var merges = Environment.GetEnvironmentVariable("VIREO_CLIP_MERGES") is { Length: > 0 } configured ? configured : SharedFiles.Find(SharedFiles.ClipMerges);
        if (merges is null || !File.Exists(merges))
        {
            throw new ModelNotFoundException(store.Directory,
                $"no model is available: run 'vireo models pull {CatalogModel}' with a network, import a CLIP folder with 'vireo models import DIR', " +
                "or set VIREO_CLIP_MERGES to CLIP's bpe_simple_vocab_16e6.txt.gz for the offline colour-concept model");
        }
        console.Error.WriteLine("Building Vireo's colour-concept model (a synthetic CLIP-format model that knows colours and patterns) for an offline demo...");
        var folder = Path.Combine(store.Directory, ConceptModelName);
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        await ConceptModelFolder.WriteAsync(folder, merges, ct).ConfigureAwait(false);
        store.Import(folder, ConceptModelName);
        return (store.Load(ConceptModelName), true);
    }

    private static float[] Normalized(float[] values)
    {
        if (values.Length == 0)
            return values;
        var (min, max) = (values.Min(), values.Max());
        return max > min ? [.. values.Select(v => (v - min) / (max - min))] : [.. values.Select(_ => 0f)];
    }
}
