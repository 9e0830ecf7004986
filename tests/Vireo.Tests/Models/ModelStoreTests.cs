using System.Text.Json;
using Vireo.Cli;
using Vireo.Models;
using Vireo.Models.Store;
using Vireo.Synthetic.Layouts;
using Vireo.Tests.Support;
using Vireo.Cli.Terminal;

namespace Vireo.Tests.Models;

public class ModelStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_validates_registers_and_resolves_by_name()
    {
        var store = new ModelStore(TestVideos.NewPath("store"));
        var tiny = await TestModels.TinyHuggingFaceAsync();

        var registered = store.Import(tiny.Root, "tiny");

        Assert.Equal(("tiny", 32, ModelLayout.HuggingFace), (registered.Name, registered.Dimension, registered.Layout));
        Assert.Equal(tiny.Root, store.ResolveFolder("tiny"));
        Assert.Equal(tiny.Root, store.ResolveFolder(null));
        using var model = store.Load("tiny");
        Assert.Equal("tiny", model.Identity.Name);
        Assert.Equal(registered.Fingerprint, model.Identity.Fingerprint);
        Assert.Single(new ModelStore(store.Directory).List());
    }

    [Fact]
    public async Task Import_can_copy_into_the_store_and_remove_deletes_only_stored_copies()
    {
        var store = new ModelStore(TestVideos.NewPath("store"));
        var tiny = await TestModels.TinyImmichAsync();

        var copied = store.Import(tiny.Root, "copy", copy: true);
        var linked = store.Import(tiny.Root, "linked");

        Assert.StartsWith(store.Directory, copied.Path, StringComparison.Ordinal);
        Assert.True(store.Remove("copy"));
        Assert.False(Directory.Exists(copied.Path));
        Assert.True(store.Remove("linked"));
        Assert.True(Directory.Exists(linked.Path));
        Assert.False(store.Remove("linked"));
    }

    [Fact]
    public async Task A_broken_model_is_refused_and_the_registry_is_untouched()
    {
        var store = new ModelStore(TestVideos.NewPath("store"));
        store.Import((await TestModels.TinyHuggingFaceAsync()).Root, "good");
        var broken = await BrokenModelFolders.WriteAsync(BrokenModelKind.TruncatedModel, TestVideos.NewPath("truncated"), ClipTestVocabulary.TokenizerSource(), Ct);

        Assert.ThrowsAny<ModelException>(() => store.Import(broken.Root, "bad"));
        Assert.Equal(["good"], store.List().Select(m => m.Name));
    }

    [Fact]
    public void Missing_and_ambiguous_models_are_clear_errors()
    {
        var store = new ModelStore(TestVideos.NewPath("empty-store"));

        Assert.Contains("vireo models pull", Assert.Throws<ModelNotFoundException>(() => store.ResolveFolder(null)).Message, StringComparison.Ordinal);
        Assert.Contains("no registered model", Assert.Throws<ModelNotFoundException>(() => store.ResolveFolder("nope")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_registry_is_reported_not_ignored()
    {
        var store = new ModelStore(TestVideos.NewPath("damaged-store"));
        Directory.CreateDirectory(store.Directory);
        await File.WriteAllTextAsync(Path.Combine(store.Directory, "registry.json"), "[{\"name\": ", Ct);

        Assert.Contains("registry is damaged", Assert.Throws<ModelException>(() => store.List()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_downloads_a_hub_repository_and_registers_it()
    {
        var tiny = await TestModels.TinyHuggingFaceAsync();
        using var hub = new FakeHub("Someone/tiny-clip");
        foreach (var file in Directory.EnumerateFiles(tiny.Root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(tiny.Root, file).Replace('\\', '/');
            hub.Add(relative, await File.ReadAllBytesAsync(file, Ct), lfs: relative.EndsWith(".onnx", StringComparison.Ordinal));
        }
        using var http = new HttpClient();
        var store = new ModelStore(TestVideos.NewPath("pull-store"));

        var model = await store.PullAsync(new HubClient(http, hub.Endpoint), "Someone/tiny-clip", variant: ModelVariant.Quantized, cancellationToken: Ct);

        Assert.Equal(("tiny-clip", "hf:Someone/tiny-clip", ModelVariant.Quantized), (model.Name, model.Source, model.Variant));
        Assert.True(File.Exists(Path.Combine(model.Path, "onnx", "text_model_quantized.onnx")));
        Assert.False(File.Exists(Path.Combine(model.Path, "onnx", "text_model.onnx")));
        using var loaded = store.Load("tiny-clip");
        Assert.Equal(32, loaded.Text.Encode("red").Length);
    }

    [Fact]
    public async Task Cli_models_import_list_and_embed()
    {
        var storeDir = TestVideos.NewPath("cli-store");
        var concept = await TestModels.ConceptHuggingFaceAsync();
        var output = new StringWriter();
        var console = new CliConsole(output, new StringWriter(), interactive: false);

        Assert.Equal(0, await VireoCli.InvokeAsync(["models", "import", concept.Root, "--name", "concepts", "--models-dir", storeDir, "--json"], console, Ct));
        Assert.Equal(0, await VireoCli.InvokeAsync(["models", "list", "--models-dir", storeDir, "--json"], console, Ct));
        output.GetStringBuilder().Clear();
        Assert.Equal(0, await VireoCli.InvokeAsync(["embed", "--text", "red", "--models-dir", storeDir, "--json"], console, Ct));
        using var text = JsonDocument.Parse(output.ToString());
        output.GetStringBuilder().Clear();

        var image = TestVideos.NewPath("red.png");
        await FFmpegRunner.RunAsync("-f", "lavfi", "-i", "color=c=red:s=64x48", "-frames:v", "1", image);
        Assert.Equal(0, await VireoCli.InvokeAsync(["embed", "--image", image, "--model", "concepts", "--models-dir", storeDir, "--json"], console, Ct));
        using var picture = JsonDocument.Parse(output.ToString());

        Assert.Equal(512, text.RootElement.GetProperty("dimension").GetInt32());
        var a = text.RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var b = picture.RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.True(System.Numerics.Tensors.TensorPrimitives.Dot(a, b) > 0.8f, "the red image should match the word red");
    }

    [Fact]
    public async Task Cli_reports_missing_models_and_bad_arguments_with_exit_codes()
    {
        var console = new CliConsole(new StringWriter(), new StringWriter(), interactive: false);

        Assert.Equal(ExitCodes.Environment, await VireoCli.InvokeAsync(["embed", "--text", "x", "--models-dir", TestVideos.NewPath("none")], console, Ct));
        Assert.Equal(ExitCodes.Usage, await VireoCli.InvokeAsync(["embed", "--text", "x", "--image", "y.png"], console, Ct));
        Assert.Equal(ExitCodes.InputError, await VireoCli.InvokeAsync(["models", "import", TestVideos.NewPath("not-there")], console, Ct));
    }
}
