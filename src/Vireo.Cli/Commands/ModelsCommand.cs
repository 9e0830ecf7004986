using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vireo.Grounding.Trained;
using Vireo.Models;
using Vireo.Models.Store;
using Vireo.Cli.Terminal;
using Vireo.TimedText.Speech;

namespace Vireo.Cli.Commands;

/// <summary><c>vireo models list | import DIR|CHECKPOINT | pull REPO | quantize MODEL | remove NAME</c>: the models and trained grounders on this machine.</summary>
internal static class ModelsCommand
{
    /// <summary>Models known to work with Vireo, pulled by name from the Hugging Face hub.</summary>
    internal static readonly (string Repository, string Note)[] Known =
    [
        ("Xenova/clip-vit-base-patch32", "OpenAI CLIP ViT-B/32, transformers.js export (quantized and fp16 variants)"),
        ("Xenova/clip-vit-base-patch16", "OpenAI CLIP ViT-B/16, transformers.js export"),
        ("immich-app/ViT-B-32__openai", "OpenAI CLIP ViT-B/32, immich export (batch 1)"),
        ("immich-app/ViT-B-16__openai", "OpenAI CLIP ViT-B/16, immich export (batch 1)"),
    ];

    public static Command Create(CliConsole console)
    {
        var command = new Command("models", $"List, import and download models. Store: $VIREO_MODELS or {ModelStore.DefaultDirectory}.");
        command.Subcommands.Add(List(console));
        command.Subcommands.Add(Import(console));
        command.Subcommands.Add(Pull(console));
        command.Subcommands.Add(Quantize(console));
        command.Subcommands.Add(Remove(console));
        return command;
    }

    private static Option<string?> StoreOption() => new("--models-dir") { Description = "The model store (default: $VIREO_MODELS or the user's data folder)." };

    private static Command List(CliConsole console)
    {
        var store = StoreOption();
        var json = CommandGuard.JsonOption();
        var command = new Command("list", "Registered models, and models known to 'pull'.") { store, json };
        command.SetAction((result, _) => CommandGuard.RunAsync(console, result.GetValue(json), () =>
        {
            var models = new ModelStore(result.GetValue(store)).List();
            var grounders = new GrounderStore(result.GetValue(store)).List();
            if (result.GetValue(json))
            {
                CliJson.Write(console.Out, new { models, grounders, pullable = Known.Select(k => new { repository = k.Repository, note = k.Note }) });
                return Task.FromResult(ExitCodes.Ok);
            }
            if (models.Count == 0)
                console.Out.WriteLine("No model registered. Pull one (needs the network) or import a folder:");
            foreach (var m in models)
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.Name,-28} {m.Dimension,4}-d  {m.Layout,-11} {m.Variant,-9} {m.Source}  ({m.Path})"));
            if (grounders.Count > 0)
            {
                console.Out.WriteLine();
                console.Out.WriteLine("Trained grounders (--grounder NAME):");
                foreach (var g in grounders)
                    console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {g.Name,-32} {GrounderImport.ArchitectureName(g.Architecture),-12} trained on {g.TrainedOn}, {g.Features.VideoEncoder} features every {g.Features.ClipSeconds} s  (from {g.SourceCheckpoint})"));
            }
            var speech = new SpeechModelStore(result.GetValue(store)).List();
            if (speech.Count > 0)
            {
                console.Out.WriteLine();
                console.Out.WriteLine("Whisper models for the speech channel (--speech-model NAME):");
                foreach (var path in speech)
                    console.Out.WriteLine($"  {SpeechModel.NameOf(path),-32} {path}");
            }
            console.Out.WriteLine();
            console.Out.WriteLine("Known to 'vireo models pull':");
            foreach (var (repository, note) in Known.Concat(SpeechModelStore.Known))
                console.Out.WriteLine($"  {repository,-32} {note}");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static Command Import(CliConsole console)
    {
        var source = new Argument<string>("source")
        {
            Description = "A CLIP model folder (Hugging Face / transformers.js or immich layout), or a Lighthouse / moment_detr checkpoint " +
                "(.ckpt, or a folder holding one) of Moment-DETR, QD-DETR or CG-DETR trained on CLIP features, imported as a trained grounder.",
        };
        var name = new Option<string?>("--name") { Description = "The name to register it under (default: the folder's name; a grounder: <model>-<dataset>-<features>)." };
        var copy = new Option<bool>("--copy") { Description = "Copy a model folder into the store instead of registering it where it is." };
        var replace = new Option<bool>("--replace") { Description = "Replace an imported grounder of the same name." };
        var variant = new Option<ModelVariant>("--variant") { Description = "default, quantized or fp16.", DefaultValueFactory = _ => ModelVariant.Default };
        var store = StoreOption();
        var json = CommandGuard.JsonOption();
        var command = new Command("import",
            "Validate a model folder (load it, embed a sentence) and register it; or rebuild a trained grounding checkpoint as an ONNX grounder (no Python needed).")
        {
            source, name, copy, replace, variant, store, json,
        };
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, result.GetValue(json), async () =>
        {
            var path = result.GetRequiredValue(source);
            if (IsCheckpoint(path))
            {
                var grounders = new GrounderStore(result.GetValue(store));
                var manifest = await GrounderImport.ImportAsync(grounders, path, result.GetValue(name), result.GetValue(replace), ct).ConfigureAwait(false);
                if (result.GetValue(json))
                    CliJson.Write(console.Out, manifest);
                else
                    console.Out.WriteLine($"imported grounder '{manifest.Name}': {GrounderImport.ArchitectureName(manifest.Architecture)} trained on {manifest.TrainedOn} " +
                        $"({manifest.Config.MaxVideoClips} clips of {manifest.Features.ClipSeconds} s per window) at {Path.Combine(grounders.Directory, manifest.Name)}");
                return ExitCodes.Ok;
            }
            var model = new ModelStore(result.GetValue(store)).Import(path, result.GetValue(name), result.GetValue(copy), result.GetValue(variant));
            Report(console, result.GetValue(json), model, "imported");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A checkpoint file, or a folder holding one (and no ONNX model).</summary>
    private static bool IsCheckpoint(string path) =>
        (File.Exists(path) && Path.GetExtension(path).ToLowerInvariant() is ".ckpt" or ".pth" or ".pt" or ".tar") || (Directory.Exists(path) && Directory.EnumerateFiles(path, "*.ckpt").Concat(Directory.EnumerateFiles(path, "*.pth")).Any()
            && !Directory.EnumerateFiles(path, "*.onnx", SearchOption.AllDirectories).Any());

    private static Command Pull(CliConsole console)
    {
        var repository = new Argument<string>("repository") { Description = "A Hugging Face repository, owner/name, or a Whisper model for the speech channel (whisper-base, whisper-small.en ...; see 'vireo models list')." };
        var name = new Option<string?>("--name") { Description = "The name to register it under (default: the repository's name)." };
        var variant = new Option<ModelVariant>("--variant") { Description = "default, quantized or fp16.", DefaultValueFactory = _ => ModelVariant.Default };
        var store = StoreOption();
        var json = CommandGuard.JsonOption();
        var command = new Command("pull", "Download a model from the Hugging Face hub (resumable; checksums verified) and register it.") { repository, name, variant, store, json };
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, result.GetValue(json), async () =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            var hub = new HubClient(http);
            if (SpeechModelStore.IsSpeechModelName(result.GetRequiredValue(repository)))
                return await PullSpeechModelAsync(console, hub, new SpeechModelStore(result.GetValue(store)), result.GetRequiredValue(repository), result.GetValue(json), ct).ConfigureAwait(false);
            var modelStore = new ModelStore(result.GetValue(store));
            RegisteredModel model;
            if (console.Interactive)
            {
                model = await console.ErrorConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask(CliConsole.ProgressText(result.GetRequiredValue(repository)), maxValue: 1);
                        var progress = new Progress<DownloadProgress>(p =>
                        {
                            task.MaxValue = Math.Max(1, p.TotalSize);
                            task.Value = p.TotalBytes;
                        });
                        return await modelStore.PullAsync(hub, result.GetRequiredValue(repository), result.GetValue(name), result.GetValue(variant), progress, ct).ConfigureAwait(false);
                    }).ConfigureAwait(false);
            }
            else
            {
                model = await modelStore.PullAsync(hub, result.GetRequiredValue(repository), result.GetValue(name), result.GetValue(variant), null, ct).ConfigureAwait(false);
            }
            Report(console, result.GetValue(json), model, "pulled");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<int> PullSpeechModelAsync(CliConsole console, HubClient hub, SpeechModelStore store, string name, bool json, CancellationToken ct)
    {
        var progress = console.Interactive ? new Progress<DownloadProgress>(p => console.ErrorConsole.Write($"\r{name}: {p.TotalBytes / 1e6:0} / {p.TotalSize / 1e6:0} MB")) : null;
        var path = await store.PullAsync(hub, name, progress, ct).ConfigureAwait(false);
        if (console.Interactive)
            console.ErrorConsole.WriteLine();
        var header = GgmlWhisperHeader.Read(path);
        if (json)
            CliJson.Write(console.Out, new { name = SpeechModel.NameOf(path), path, size = header.Size, multilingual = header.IsMultilingual });
        else
            console.Out.WriteLine($"pulled Whisper model '{SpeechModel.NameOf(path)}' ({header.Size}, {(header.IsMultilingual ? "multilingual" : "English only")}) at {path}");
        return ExitCodes.Ok;
    }

    private static Command Quantize(CliConsole console)
    {
        var model = new Argument<string>("model") { Description = "A registered model's name or a model folder with float32 ONNX files (Hugging Face / transformers.js or immich layout)." };
        var name = new Option<string?>("--name") { Description = "Also register the int8 variant under this name (so --model NAME loads it)." };
        var perTensor = new Option<bool>("--per-tensor") { Description = "One scale per weight matrix, as ONNX Runtime's quantize_dynamic does (default: one per output column, closer to float32 at the same speed)." };
        var store = StoreOption();
        var json = CommandGuard.JsonOption();
        var command = new Command("quantize",
            "Write the int8 variant of a float32 model: each ONNX file gets a *_quantized.onnx beside it (dynamic quantization of the MatMul/Gemm weights, " +
            "run by ONNX Runtime's integer kernels); load it with --variant quantized.")
        {
            model, name, perTensor, store, json,
        };
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, result.GetValue(json), async () =>
        {
            var modelStore = new ModelStore(result.GetValue(store));
            var folder = modelStore.ResolveFolder(result.GetRequiredValue(model));
            var written = await ModelQuantizer.QuantizeAsync(folder, new Vireo.Onnx.QuantizationOptions { PerColumn = !result.GetValue(perTensor) }, ct).ConfigureAwait(false);
            var registered = result.GetValue(name) is { } registeredName ? modelStore.Import(folder, registeredName, variant: ModelVariant.Quantized) : null;
            if (result.GetValue(json))
            {
                CliJson.Write(console.Out, new { folder, files = written, registered });
                return ExitCodes.Ok;
            }
            foreach (var file in written)
            {
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetRelativePath(folder, file.Target)}: {file.Report.Quantized} matrix products in int8 ({file.Report.KeptFloat} left in float), weights {file.Report.WeightBytesBefore / 1e6:0.#} MB -> {file.Report.WeightBytesAfter / 1e6:0.#} MB"));
            }
            console.Out.WriteLine(registered is not null
                ? $"registered '{registered.Name}' (the quantized variant of {folder}): use --model {registered.Name}"
                : $"use it with --model {result.GetRequiredValue(model)} --variant quantized, or register it with --name");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Remove(CliConsole console)
    {
        var name = new Argument<string>("name") { Description = "The registered model to forget (its files are deleted only if they are in the store)." };
        var store = StoreOption();
        var command = new Command("remove", "Forget a registered model, or delete an imported grounder.") { name, store };
        command.SetAction((result, _) => CommandGuard.RunAsync(console, false, () =>
        {
            if (!new ModelStore(result.GetValue(store)).Remove(result.GetRequiredValue(name)) && !new GrounderStore(result.GetValue(store)).Remove(result.GetRequiredValue(name))
                && !new SpeechModelStore(result.GetValue(store)).Remove(result.GetRequiredValue(name)))
                throw new ModelNotFoundException(result.GetRequiredValue(name), "no registered model or imported grounder has this name");
            console.Out.WriteLine($"removed {result.GetRequiredValue(name)}");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static void Report(CliConsole console, bool json, RegisteredModel model, string verb)
    {
        if (json)
            CliJson.Write(console.Out, model);
        else
            console.Out.WriteLine($"{verb} '{model.Name}': {model.Dimension}-d {model.Layout} model at {model.Path} (fingerprint {model.Fingerprint})");
    }
}
