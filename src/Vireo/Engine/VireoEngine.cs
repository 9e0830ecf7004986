using Vireo.Embedding;
using Vireo.Embedding.GrounderFeatures;
using Vireo.Errors;
using Vireo.Grounding;
using Vireo.Grounding.Trained;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.Media;
using Vireo.Models;
using Vireo.Relocalization;
using Vireo.Retrieval;
using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Engine;

/// <summary>
/// Vireo in one object: a library opened with its embedding model, and everything the hosts offer on it — index,
/// search, ground (a library video or any file), find-clip, status. The command line and the server call only this,
/// so both have the same defaults and the same errors. Thread-safe for queries; one ingest at a time.
/// </summary>
/// <example>
/// <code>
/// using var engine = VireoEngine.OpenForIngest("my-library", new ModelChoice("Xenova/clip-vit-base-patch32"));
/// await engine.IndexAsync(["/videos"]);
/// var answer = await engine.SearchAsync("a dog catches a frisbee");
/// foreach (var video in answer.Videos) Console.WriteLine($"{video.Score:0.000} {video.Path} {video.Moments[0].Start}s");
/// </code>
/// </example>
public sealed class VireoEngine : IDisposable
{
    private readonly VideoLibrary? _library;
    private readonly bool _ownsModel;
    private readonly Lazy<LibraryReader> _reader;
    private readonly Lazy<BackgroundIngest> _background;

    private VireoEngine(VideoLibrary? library, EmbeddingModel model, bool ownsModel, EngineOptions? options)
    {
        _library = library;
        Model = model;
        _ownsModel = ownsModel;
        Options = options ?? new EngineOptions();
        _reader = new Lazy<LibraryReader>(() => new LibraryReader(Library, Model));
        _background = new Lazy<BackgroundIngest>(() => new BackgroundIngest(Library, Model, Options.Ingest));
    }

    /// <summary>
    /// Opens an existing library for queries (search, ground, find-clip, serving) with its model, or with the one asked
    /// for, which must be the library's.
    /// </summary>
    /// <exception cref="LibraryException">There is no library there, or it has no indexed video yet.</exception>
    /// <exception cref="ModelMismatchException">The model asked for is not the library's.</exception>
    public static VireoEngine Open(string libraryDirectory, ModelChoice? model = null, EngineOptions? options = null)
    {
        var library = VideoLibrary.Open(libraryDirectory, create: false);
        if (library.Settings is null)
            throw new LibraryException(library.Directory, "the library is empty: index videos into it first ('vireo index PATH')");
        return WithModel(library, model ?? new ModelChoice(), options);
    }

    /// <summary>
    /// Opens a library to index into, creating it when needed: with its own model, or on a new library the one asked
    /// for (else the only registered one).
    /// </summary>
    public static VireoEngine OpenForIngest(string libraryDirectory, ModelChoice? model = null, EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(libraryDirectory);
        model ??= new ModelChoice();
        if (File.Exists(Path.Combine(libraryDirectory, VideoLibrary.CatalogFileName)))
            return WithModel(VideoLibrary.Open(libraryDirectory, create: true), model, options);
        var loaded = model.Load(); // before the library is created: a missing model leaves no empty library behind
        try
        {
            return new VireoEngine(VideoLibrary.Open(libraryDirectory, create: true), loaded, ownsModel: true, options);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For grounding files: the library when one exists at <paramref name="libraryDirectory"/> (its stored clips are
    /// used for its videos), else no library. The model is the one asked for, else the library's, else the only registered one.
    /// Another model than the library's is accepted here, for files outside the library; grounding one of the library's
    /// videos with it is refused (<see cref="GroundAsync(string, string, CancellationToken)"/>: its stored clips belong to the library's model).
    /// </summary>
    public static VireoEngine OpenOptional(string libraryDirectory, ModelChoice? model = null, EngineOptions? options = null)
    {
        model ??= new ModelChoice();
        var library = File.Exists(Path.Combine(libraryDirectory, VideoLibrary.CatalogFileName)) ? VideoLibrary.Open(libraryDirectory, create: false) : null;
        if (library?.Settings is not null && model.NameOrFolder is null)
            return WithModel(library, model, options);
        return new VireoEngine(library, model.Load(), ownsModel: true, options);
    }

    /// <summary>Over a library and a model the caller already has (and disposes).</summary>
    /// <exception cref="ModelMismatchException">The library was indexed with another model.</exception>
    public static VireoEngine Over(VideoLibrary library, EmbeddingModel model, EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(model);
        library.RequireModel(model.Identity);
        return new VireoEngine(library, model, ownsModel: false, options);
    }

    private static VireoEngine WithModel(VideoLibrary library, ModelChoice model, EngineOptions? options) =>
        new(library, model.LoadFor(library), ownsModel: true, options);

    /// <exception cref="InvalidOperationException">The engine was opened without a library.</exception>
    public VideoLibrary Library => _library ?? throw new InvalidOperationException("this engine was opened without a library");

    /// <summary>True when the engine has a library (always, except <see cref="OpenOptional"/> where none exists).</summary>
    public bool HasLibrary => _library is not null;

    public EmbeddingModel Model { get; }

    public EngineOptions Options { get; }

    /// <summary>Indexes files and folders (recursively) into the library: new and changed files are decoded and encoded.</summary>
    public Task<IngestReport> IndexAsync(IEnumerable<string> paths, IngestOptions? options = null, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default) =>
        new LibraryIngest(Library, Model, options ?? Options.Ingest).RunAsync(paths, progress, cancellationToken);

    /// <summary>Ingest of the library's roots in the background, with start, stop and progress (what the server offers).</summary>
    public BackgroundIngest Background => _background.Value;

    /// <summary>Ranks the library's videos and moments for a sentence (<paramref name="options"/> default to <see cref="EngineOptions.Search"/>).</summary>
    /// <exception cref="UsageException">The query is empty or too long.</exception>
    public async Task<SearchResult> SearchAsync(string query, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var searcher = new LibrarySearcher(_reader.Value, options ?? Options.Search);
        return await searcher.SearchAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Where a sentence happens in a video file: a library video unchanged since it was indexed uses its stored clips,
    /// any other file is decoded and encoded with the library's clip settings.
    /// </summary>
    /// <exception cref="UsageException">The query is empty or too long.</exception>
    /// <exception cref="MediaException">The file is missing or cannot be decoded.</exception>
    /// <exception cref="ModelMismatchException">The file is one of the library's videos and the engine's model is not the library's.</exception>
    public async Task<GroundedVideo> GroundAsync(string videoPath, string query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(videoPath);
        var text = ValidQuery(query);
        var path = Path.GetFullPath(videoPath);
        if (!File.Exists(path))
            throw new MediaFileNotFoundException(videoPath);
        if (_library?.Settings is { } bound && !bound.Model.IsCompatibleWith(Model.Identity) && _library.Find(path) is not null)
            throw ModelMismatchException.Between(_library.Directory, bound.Model, Model.Identity);
        if (StoredClips(path) is { } stored)
            return Ground(stored, text, cancellationToken);
        var settings = _library?.Settings;
        var embedding = settings is null ? new EmbeddingOptions() : new EmbeddingOptions { ClipLength = settings.ClipLength, FramesPerClip = settings.FramesPerClip };
        var embedded = await new VideoEmbedder(Model, embedding).EmbedAsync(path, cancellationToken).ConfigureAwait(false);
        var result = new ZeroShotGrounder(Options.Search.Grounding).Ground(new GroundingVideo(embedded.Clips, embedded.Grid), Model.Text.EncodeQuery(text), cancellationToken);
        return new GroundedVideo(text, path, null, embedded.Info.Duration, embedded.Grid.ClipLength, result);
    }

    /// <summary>
    /// Where a sentence happens in a video file, by a trained grounder (Moment-DETR, QD-DETR, CG-DETR) on the features it
    /// was trained on, computed from the file as Lighthouse computes them (<see cref="ClipFeatureExtractor"/>, the
    /// engine's model's token features); videos of any length (<see cref="TrainedGrounder.Predict"/>).
    /// </summary>
    /// <exception cref="UsageException">The query is empty or too long.</exception>
    /// <exception cref="ModelException">The engine's model does not give the grounder's features (width, per-token output).</exception>
    /// <exception cref="MediaException">The file is missing or cannot be decoded.</exception>
    public async Task<GroundedVideo> GroundAsync(string videoPath, string query, TrainedGrounder grounder, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(videoPath);
        ArgumentNullException.ThrowIfNull(grounder);
        var text = ValidQuery(query);
        var path = Path.GetFullPath(videoPath);
        if (!File.Exists(path))
            throw new MediaFileNotFoundException(videoPath);
        var spec = grounder.Manifest.Features;
        var tokens = Model.Text.EncodeTokens(text);
        if (Model.Dimension != spec.VideoDim)
            throw new ModelException(Model.Files.Root,
                $"gives {Model.Dimension}-d embeddings; the grounder '{grounder.Manifest.Name}' was trained on {spec.VideoDim}-d {spec.VideoEncoder} features ({FeatureSpec.ClipEncoderModel})", kind: ErrorKind.Conflict);
        if (tokens.States.Dimension != spec.TextDim)
            throw new ModelException(Model.Files.Root,
                $"gives {tokens.States.Dimension}-d token features; the grounder '{grounder.Manifest.Name}' takes {spec.TextDim}-d ones", kind: ErrorKind.Conflict);
        var features = await ClipFeatureExtractor.ExtractAllAsync(Model, path, new ClipFeatureOptions { ClipLength = spec.ClipSeconds }, progress, cancellationToken)
            .ConfigureAwait(false);
        if (features.Count == 0)
            throw new InputException(path, "the video has no frame to take a clip feature from");
        var prediction = grounder.Predict(features.Features.AsSpan(), features.Count, tokens.States.AsSpan(), tokens.Count);
        // A container without a duration (0) is taken to end with its last clip.
        var covered = features.Count * spec.ClipSeconds;
        var duration = features.Info.Duration > 0 ? Math.Min(features.Info.Duration, covered) : covered;
        var grid = new ClipGrid(duration, spec.ClipSeconds);
        return new GroundedVideo(text, path, null, features.Info.Duration > 0 ? features.Info.Duration : covered, spec.ClipSeconds, TrainedGroundingResult.From(prediction, grid));
    }

    /// <summary>Where a sentence happens in one of the library's indexed videos, from its stored clips.</summary>
    /// <exception cref="InputException">The library has no indexed video with that id (<see cref="ErrorKind.NotFound"/>).</exception>
    public GroundedVideo Ground(long videoId, string query, CancellationToken cancellationToken = default) => Ground(videoId, query, null, cancellationToken);

    /// <summary>
    /// Where a sentence happens in one of the library's indexed videos, from its stored clips, by <paramref name="grounder"/>
    /// (a trained grounder; null: zero-shot).
    /// </summary>
    /// <exception cref="InputException">The library has no indexed video with that id (<see cref="ErrorKind.NotFound"/>).</exception>
    /// <exception cref="ConflictException">The library's clips are not the features the grounder was trained on.</exception>
    public GroundedVideo Ground(long videoId, string query, TrainedGrounder? grounder, CancellationToken cancellationToken = default)
    {
        var text = ValidQuery(query);
        if (Library.Find(videoId) is not { Status: VideoStatus.Indexed } video)
            throw new InputException(null, $"the library has no indexed video {videoId}", ErrorKind.NotFound);
        if (grounder is null)
            return Ground(video, text, cancellationToken);
        var (result, _) = TrainedStage.For(grounder, Library, Model, text).Ground(Library.ReadClips(video.Id), new ClipGrid(video.Duration, video.ClipLength));
        return new GroundedVideo(text, video.Path, video.Id, video.Duration, video.ClipLength, result);
    }

    /// <summary>
    /// Where <paramref name="span"/> of a video (all of it when null) occurs in the library's videos
    /// (<paramref name="options"/> default to <see cref="EngineOptions.Relocalization"/>).
    /// </summary>
    /// <exception cref="SpanOutOfRangeException">The span is empty or not inside the video.</exception>
    /// <exception cref="UsageException">The span (or the whole video) is shorter than one clip of the library, or longer
    /// than <see cref="RelocalizationOptions.MaxQuerySeconds"/> (<see cref="Relocalizer.CheckSpan"/>).</exception>
    /// <exception cref="MediaException">The file is missing or cannot be decoded.</exception>
    public async Task<RelocalizationResult> FindClipAsync(string videoPath, TemporalWindow? span = null, RelocalizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(videoPath);
        var path = Path.GetFullPath(videoPath);
        if (!File.Exists(path))
            throw new MediaFileNotFoundException(videoPath);
        using var relocalizer = new Relocalizer(_reader.Value, options ?? Options.Relocalization);
        return await relocalizer.FindAsync(path, span, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The span to look for from optional bounds: a missing end is the video's end (read with ffprobe), a missing start 0;
    /// null when neither is given (the whole video).
    /// </summary>
    public static async Task<TemporalWindow?> SpanAsync(string videoPath, double? start, double? end, CancellationToken cancellationToken = default)
    {
        if (start is null && end is null)
            return null;
        var last = end ?? (await MediaProbe.ProbeVideoAsync(videoPath, cancellationToken: cancellationToken).ConfigureAwait(false)).Duration;
        return new TemporalWindow(start ?? 0, last);
    }

    private string ValidQuery(string query) => LibrarySearcher.ValidateQuery(query, Options.Search.MaxQueryLength);

    /// <summary>The library's row for a file it has indexed, unchanged since, with this model.</summary>
    private LibraryVideo? StoredClips(string path) =>
        _library?.Settings is { } settings && settings.Model.IsCompatibleWith(Model.Identity)
        && _library.Find(path) is { Status: VideoStatus.Indexed } row && row.IsUnchangedOnDisk() ? row : null;

    private GroundedVideo Ground(LibraryVideo video, string text, CancellationToken cancellationToken)
    {
        var clips = new GroundingVideo(Library.ReadClips(video.Id), new ClipGrid(video.Duration, video.ClipLength));
        var result = new ZeroShotGrounder(Options.Search.Grounding).Ground(clips, Model.Text.EncodeQuery(text), cancellationToken);
        return new GroundedVideo(text, video.Path, video.Id, video.Duration, video.ClipLength, result);
    }

    public void Dispose()
    {
        if (_background.IsValueCreated)
            _background.Value.Dispose();
        if (_reader.IsValueCreated)
            _reader.Value.Dispose();
        if (_ownsModel)
            Model.Dispose();
    }
}
