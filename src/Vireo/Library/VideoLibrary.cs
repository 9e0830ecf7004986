using System.Globalization;
using Microsoft.Data.Sqlite;
using Vireo.Models;
using Vireo.Vectors;
using Vireo.Temporal;

namespace Vireo.Library;

/// <summary>
/// A video library: a folder with a SQLite catalog (<c>catalog.db</c>, WAL journal) of videos and their clip
/// embeddings (float16, checksummed). One process may write while others read; a video appears completely
/// or not at all. The library is bound to one model and one way of making clips (<see cref="LibrarySettings"/>).
/// </summary>
public sealed partial class VideoLibrary
{
    public const string CatalogFileName = "catalog.db";

    private readonly string _connectionString;

    private VideoLibrary(string directory)
    {
        Directory = directory;
        CatalogPath = Path.Combine(directory, CatalogFileName);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = CatalogPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    public string Directory { get; }

    public string CatalogPath { get; }

    /// <summary>The default library folder: $VIREO_LIBRARY, else the user's data folder + vireo/library.</summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable("VIREO_LIBRARY") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "vireo", "library");

    /// <summary>Opens the library in <paramref name="directory"/>, creating it when <paramref name="create"/> is true.</summary>
    /// <exception cref="LibraryException">The folder has no library (and create is false), or its catalog is damaged or newer.</exception>
    public static VideoLibrary Open(string directory, bool create = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        if (!create && !File.Exists(Path.Combine(full, CatalogFileName)))
            throw new LibraryException(full, "no Vireo library here (no catalog.db); index some videos into it first with 'vireo index PATH --library " + directory + "'");
        System.IO.Directory.CreateDirectory(full);
        var library = new VideoLibrary(full);
        library.Initialise();
        return library;
    }

    /// <summary>The model and clip settings, or null while the library is empty and unbound.</summary>
    public LibrarySettings? Settings
    {
        get
        {
            var values = Guard(ReadMeta);
            if (!values.TryGetValue("model_fingerprint", out var fingerprint))
                return null;
            try
            {
                return new LibrarySettings(
                    new ModelIdentity(values["model_name"], int.Parse(values["dimension"], CultureInfo.InvariantCulture), fingerprint, ReadVariant(values)),
                    double.Parse(values["clip_length"], CultureInfo.InvariantCulture),
                    int.Parse(values["frames_per_clip"], CultureInfo.InvariantCulture),
                    values.GetValueOrDefault("model_folder"));
            }
            catch (Exception e) when (e is KeyNotFoundException or FormatException or OverflowException)
            {
                throw new LibraryException(CatalogPath, "the library settings are damaged: " + e.Message, e);
            }
        }
    }

    /// <summary>
    /// Binds an empty library to <paramref name="settings"/>, or checks that a bound one matches them.
    /// </summary>
    /// <exception cref="ModelMismatchException">The library was built with another model.</exception>
    public LibrarySettings Bind(LibrarySettings settings)
    {
        return Guard(() =>
        {
            ArgumentNullException.ThrowIfNull(settings);
            if (Settings is { } existing)
            {
                RequireModel(settings.Model);
                if (Math.Abs(existing.ClipLength - settings.ClipLength) > 1e-9 || existing.FramesPerClip != settings.FramesPerClip)
                    throw new LibraryException(Directory, $"this library uses {existing.ClipLength:0.###} s clips with {existing.FramesPerClip} frames each, not {settings.ClipLength:0.###} s / {settings.FramesPerClip}");
                if (existing.Model.Variant is null && settings.Model.Variant is { } variant)
                {
                    // Bound before variants were recorded: the same files (same fingerprint) tell which variant it is.
                    using var update = Connect();
                    Execute(update, "INSERT OR REPLACE INTO library (key, value) VALUES ($key, $value)", ("$key", "model_variant"), ("$value", variant.OptionValue()));
                    return existing with { Model = existing.Model with { Variant = variant } };
                }
                return existing;
            }
            using var connection = Connect();
            using var transaction = connection.BeginTransaction();
            foreach (var (key, value) in new Dictionary<string, string>
            {
                ["model_name"] = settings.Model.Name,
                ["model_fingerprint"] = settings.Model.Fingerprint,
                ["dimension"] = settings.Model.Dimension.ToString(CultureInfo.InvariantCulture),
                ["clip_length"] = settings.ClipLength.ToString("R", CultureInfo.InvariantCulture),
                ["frames_per_clip"] = settings.FramesPerClip.ToString(CultureInfo.InvariantCulture),
                ["model_folder"] = settings.ModelFolder ?? "",
                ["model_variant"] = settings.Model.Variant?.OptionValue() ?? "",
            })
            {
                Execute(connection, "INSERT OR REPLACE INTO library (key, value) VALUES ($key, $value)", ("$key", key), ("$value", value));
            }
            transaction.Commit();
            return settings;
        });
    }

    /// <summary>Throws <see cref="ModelMismatchException"/> when the library is bound to another model.</summary>
    public void RequireModel(ModelIdentity model)
    {
        Guard(() =>
        {
            ArgumentNullException.ThrowIfNull(model);
            if (Settings is { } existing && !existing.Model.IsCompatibleWith(model))
                throw ModelMismatchException.Between(Directory, existing.Model, model);
            return 0;
        });
    }

    /// <summary>The recorded variant of the library's model; null for libraries bound before variants were recorded.</summary>
    private static ModelVariant? ReadVariant(Dictionary<string, string> values) =>
        values.TryGetValue("model_variant", out var text) && Enum.TryParse<ModelVariant>(text, ignoreCase: true, out var variant) ? variant : null;

    public IReadOnlyList<LibraryVideo> ListVideos()
    {
        return Guard(() =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT " + VideoColumns + " FROM videos ORDER BY path";
            return ReadVideos(command);
        });
    }

    /// <summary>The catalog row of <paramref name="path"/> (full path), or null.</summary>
    public LibraryVideo? Find(string path)
    {
        return Guard(() =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT " + VideoColumns + " FROM videos WHERE path = $path";
            command.Parameters.AddWithValue("$path", Path.GetFullPath(path));
            return ReadVideos(command).FirstOrDefault();
        });
    }

    public LibraryVideo? Find(long id)
    {
        return Guard(() =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT " + VideoColumns + " FROM videos WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return ReadVideos(command).FirstOrDefault();
        });
    }

    /// <summary>
    /// The files and folders indexed into this library (full paths, as given to the indexer): what a server may
    /// re-index and the only places it serves files from.
    /// </summary>
    public IReadOnlyList<string> Roots => Guard(() =>
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT path FROM roots ORDER BY path";
        using var reader = command.ExecuteReader();
        var roots = new List<string>();
        while (reader.Read())
            roots.Add(reader.GetString(0));
        return roots;
    });

    /// <summary>Records files or folders as roots of the library (kept once each, as full paths).</summary>
    public void AddRoots(IEnumerable<string> paths)
    {
        Guard(() =>
        {
            ArgumentNullException.ThrowIfNull(paths);
            using var connection = Connect();
            using var transaction = connection.BeginTransaction();
            foreach (var path in paths)
            {
                Execute(connection, "INSERT OR IGNORE INTO roots (path, added_at) VALUES ($path, $at)",
                    ("$path", Path.GetFullPath(path)), ("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
            }
            transaction.Commit();
            return 0;
        });
    }

    /// <summary>An indexed video with this content hash (a renamed or copied file), or null.</summary>
    public LibraryVideo? FindIndexedByHash(string contentHash)
    {
        return Guard(() =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT " + VideoColumns + " FROM videos WHERE content_hash = $hash AND status = 'indexed' LIMIT 1";
            command.Parameters.AddWithValue("$hash", contentHash);
            return ReadVideos(command).FirstOrDefault();
        });
    }

    /// <summary>The clip embeddings of an indexed video (unit rows, one per clip), checked against their checksum.</summary>
    public EmbeddingMatrix ReadClips(long videoId) => ReadClipsAndEvents(videoId).Clips;

    /// <summary>The clip embeddings of an indexed video and its events (clip spans), in one read.</summary>
    public (EmbeddingMatrix Clips, ClipSpan[] Events) ReadClipsAndEvents(long videoId)
    {
        return Guard(() =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT rows, dimension, crc32, data, events FROM clip_embeddings WHERE video_id = $id";
            command.Parameters.AddWithValue("$id", videoId);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
                throw new LibraryException(CatalogPath, $"video {videoId} has no stored clip embeddings");
            var what = $"{CatalogPath} (video {videoId})";
            var clips = EmbeddingBlob.Decode((byte[])reader["data"], reader.GetInt32(0), reader.GetInt32(1), (uint)reader.GetInt64(2), what);
            return (clips, EventBlob.Decode((byte[])reader["events"], clips.Count, what));
        });
    }

    /// <summary>
    /// The coarse vectors (video means and event prototypes) of the indexed videos: all of them, only those of
    /// videos stored after generation <paramref name="sinceGeneration"/>, or only those of <paramref name="videoIds"/>.
    /// Rows are ordered by video, then kind, then position.
    /// </summary>
    public CoarseVectorTable ReadCoarseVectors(long? sinceGeneration = null, IReadOnlyCollection<long>? videoIds = null)
    {
        return Guard(() =>
        {
            var dimension = Settings?.Model.Dimension ?? 1;
            var where = sinceGeneration is not null ? "WHERE v.generation > $since"
                : videoIds is not null ? $"WHERE vv.video_id IN ({string.Join(',', videoIds.Select(id => id.ToString(CultureInfo.InvariantCulture)))})"
                : "";
            using var connection = Connect();
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM video_vectors vv JOIN videos v ON v.id = vv.video_id {where}";
            if (sinceGeneration is { } since)
                count.Parameters.AddWithValue("$since", since);
            var rows = Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            var matrix = new EmbeddingMatrix(rows, dimension);
            var ids = new long[rows];
            var kinds = new VectorKind[rows];
            var spans = new ClipSpan[rows];
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT vv.video_id, vv.kind, vv.start_clip, vv.end_clip, vv.crc32, vv.data
                FROM video_vectors vv JOIN videos v ON v.id = vv.video_id
                {where}
                ORDER BY vv.video_id, vv.kind, vv.position
                """;
            if (sinceGeneration is { } after)
                command.Parameters.AddWithValue("$since", after);
            using var reader = command.ExecuteReader();
            var row = 0;
            while (row < rows && reader.Read())
            {
                ids[row] = reader.GetInt64(0);
                kinds[row] = (VectorKind)reader.GetInt32(1);
                spans[row] = new ClipSpan(reader.GetInt32(2), reader.GetInt32(3));
                EmbeddingBlob.DecodeInto((byte[])reader["data"], matrix[row], (uint)reader.GetInt64(4), $"{CatalogPath} (video {ids[row]})");
                row++;
            }
            return new CoarseVectorTable(matrix, ids, kinds, spans);
        });
    }

    /// <summary>How many coarse vectors the library holds.</summary>
    public int CoarseVectorCount() => Guard(() =>
    {
        using var connection = Connect();
        return Convert.ToInt32(Scalar(connection, "SELECT COUNT(*) FROM video_vectors"), CultureInfo.InvariantCulture);
    });

    /// <summary>Every indexed video's id and the generation it was stored at.</summary>
    public Dictionary<long, long> IndexedGenerations()
    {
        return Guard(() =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, generation FROM videos WHERE status = 'indexed'";
            using var reader = command.ExecuteReader();
            var generations = new Dictionary<long, long>();
            while (reader.Read())
                generations[reader.GetInt64(0)] = reader.GetInt64(1);
            return generations;
        });
    }

    /// <summary>A library-level setting (a "key = value" row), or null.</summary>
    public string? ReadSetting(string key)
    {
        return Guard(() =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM library WHERE key = $key";
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() as string;
        });
    }

    /// <summary>Writes a library-level setting.</summary>
    public void WriteSetting(string key, string value)
    {
        Guard(() =>
        {
            using var connection = Connect();
            Execute(connection, "INSERT OR REPLACE INTO library (key, value) VALUES ($key, $value)", ("$key", key), ("$value", value));
            return 0;
        });
    }

    /// <summary>Stores a video (replacing any earlier row for its path) in one transaction; returns its id.</summary>
    public long Commit(IndexedVideo video, ModelIdentity model) => CommitMany([video], model)[0];

    /// <summary>Stores several videos in one transaction (bulk loading); returns their ids in order.</summary>
    public IReadOnlyList<long> CommitMany(IReadOnlyList<IndexedVideo> videos, ModelIdentity model)
    {
        return Guard(() =>
        {
            ArgumentNullException.ThrowIfNull(videos);
            ArgumentNullException.ThrowIfNull(model);
            using var connection = Connect();
            using var transaction = connection.BeginTransaction();
            var generation = BumpGeneration(connection);
            var ids = new long[videos.Count];
            for (var v = 0; v < videos.Count; v++)
            {
                var video = videos[v];
                var id = InsertVideo(connection, video.Path, video.Size, video.ModifiedTicks, video.ContentHash, video.Duration,
                    video.Clips.Count, video.ClipLength, "indexed", null, model.Fingerprint);
                var clips = EmbeddingBlob.Encode(video.Clips.AsSpan());
                Execute(connection, "INSERT INTO clip_embeddings (video_id, rows, dimension, crc32, data, events) VALUES ($id, $rows, $dimension, $crc, $data, $events)",
                    ("$id", id), ("$rows", video.Clips.Count), ("$dimension", video.Clips.Dimension), ("$crc", (long)EmbeddingBlob.Checksum(clips)), ("$data", clips),
                    ("$events", EventBlob.Encode(video.Events)));
                InsertVector(connection, id, VectorKind.Video, 0, new ClipSpan(0, video.Clips.Count), video.VideoVector);
                for (var i = 0; i < video.Events.Count; i++)
                    InsertVector(connection, id, VectorKind.Event, i, video.Events[i], video.EventVectors[i]);
                foreach (var span in video.Damaged)
                {
                    Execute(connection, "INSERT OR REPLACE INTO damaged_spans (video_id, start_seconds, end_seconds) VALUES ($id, $start, $end)",
                        ("$id", id), ("$start", span.Start), ("$end", span.End));
                }
                InsertTimedText(connection, id, video.TextChannels, video.TimedText, video.TimedTextVectors, video.SentenceModel);
                Stamp(connection, id, generation);
                ids[v] = id;
            }
            transaction.Commit();
            return ids;
        });
    }

    /// <summary>
    /// Takes the library's writer lock (<see cref="LibraryWriterLock"/>) for as long as the returned object lives: one
    /// indexing run at a time, across processes. Searches and other readers need no lock.
    /// </summary>
    /// <exception cref="LibraryBusyException">Another writer holds it; the message says which process.</exception>
    public LibraryWriterLock AcquireWriterLock() => LibraryWriterLock.Acquire(Directory);

    /// <summary>Records that a file could not be indexed (ingest tries it again on every run, and reports it each time).</summary>
    public void RecordFailure(string path, long size, long modifiedTicks, string contentHash, string error)
    {
        Guard(() =>
        {
            using var connection = Connect();
            using var transaction = connection.BeginTransaction();
            InsertVideo(connection, path, size, modifiedTicks, contentHash, 0, 0, 0, "failed", error, Settings?.Model.Fingerprint ?? "");
            transaction.Commit();
            return 0;
        });
    }

    /// <summary>Stores <paramref name="path"/> with the embeddings of an identical file already indexed (a copy or a rename).</summary>
    public long CopyIndexed(LibraryVideo source, string path, long size, long modifiedTicks)
    {
        return Guard(() =>
        {
            ArgumentNullException.ThrowIfNull(source);
            using var connection = Connect();
            using var transaction = connection.BeginTransaction();
            var model = Convert.ToString(Scalar(connection, "SELECT model FROM videos WHERE id = " + source.Id.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture) ?? "";
            var id = InsertVideo(connection, path, size, modifiedTicks, source.ContentHash, source.Duration, source.ClipCount, source.ClipLength, "indexed", null, model);
            Execute(connection, "INSERT INTO clip_embeddings (video_id, rows, dimension, crc32, data, events) SELECT $id, rows, dimension, crc32, data, events FROM clip_embeddings WHERE video_id = $source",
                ("$id", id), ("$source", source.Id));
            Execute(connection, "INSERT INTO video_vectors (video_id, kind, position, start_clip, end_clip, crc32, data) SELECT $id, kind, position, start_clip, end_clip, crc32, data FROM video_vectors WHERE video_id = $source",
                ("$id", id), ("$source", source.Id));
            Execute(connection, "INSERT INTO damaged_spans (video_id, start_seconds, end_seconds) SELECT $id, start_seconds, end_seconds FROM damaged_spans WHERE video_id = $source",
                ("$id", id), ("$source", source.Id));
            CopyContentTimedText(connection, source.Id, id);
            Stamp(connection, id, BumpGeneration(connection));
            transaction.Commit();
            return id;
        });
    }

    /// <summary>Updates the recorded size and modification time of an unchanged file (touched, same content).</summary>
    public void Touch(long id, long size, long modifiedTicks)
    {
        Guard(() =>
        {
            using var connection = Connect();
            Execute(connection, "UPDATE videos SET size = $size, mtime_ticks = $mtime WHERE id = $id", ("$id", id), ("$size", size), ("$mtime", modifiedTicks));
            return 0;
        });
    }

    /// <summary>Removes videos (and their embeddings) from the catalog; the files are not touched.</summary>
    public int Remove(IEnumerable<long> ids)
    {
        return Guard(() =>
        {
            ArgumentNullException.ThrowIfNull(ids);
            using var connection = Connect();
            using var transaction = connection.BeginTransaction();
            var removed = 0;
            foreach (var id in ids)
                removed += Execute(connection, "DELETE FROM videos WHERE id = $id", ("$id", id));
            BumpGeneration(connection);
            transaction.Commit();
            return removed;
        });
    }

    /// <summary>
    /// Checks the whole catalog: SQLite's integrity check, then every stored embedding against its checksum.
    /// Returns the problems found (empty when the library is sound).
    /// </summary>
    public IReadOnlyList<string> CheckIntegrity()
    {
        return Guard(() =>
        {
            var problems = new List<string>();
            using var connection = Connect();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA integrity_check";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var line = reader.GetString(0);
                    if (line != "ok")
                        problems.Add("SQLite: " + line);
                }
            }
            foreach (var video in ListVideos().Where(v => v.Status == VideoStatus.Indexed))
            {
                try
                {
                    var clips = ReadClips(video.Id);
                    if (clips.Count != video.ClipCount)
                        problems.Add($"{video.Path}: {clips.Count} clips stored, {video.ClipCount} recorded");
                }
                catch (LibraryException e)
                {
                    problems.Add($"{video.Path}: {e.Message}");
                }
            }
            try
            {
                ReadCoarseVectors();
            }
            catch (LibraryException e)
            {
                problems.Add(e.Message);
            }
            return problems;
        });
    }

    /// <summary>
    /// A number that changes whenever searchable content changes (a video committed, copied or removed): a
    /// long-lived searcher compares it to know when to reload, which lets searches run while indexing goes on.
    /// </summary>
    public long Generation => Guard(() =>
    {
        using var connection = Connect();
        return ReadGeneration(connection);
    });

    private static long ReadGeneration(SqliteConnection connection)
    {
        var value = Scalar(connection, "SELECT value FROM library WHERE key = 'generation'");
        return value is null ? 0 : long.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture);
    }

    /// <summary>Increments the generation inside the caller's transaction and returns the new value.</summary>
    private static long BumpGeneration(SqliteConnection connection)
    {
        Execute(connection, """
            INSERT INTO library (key, value) VALUES ('generation', '1')
            ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
            """);
        return long.Parse(Convert.ToString(Scalar(connection, "SELECT value FROM library WHERE key = 'generation'"), CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture);
    }

    private static void Stamp(SqliteConnection connection, long videoId, long generation) =>
        Execute(connection, "UPDATE videos SET generation = $g WHERE id = $id", ("$g", generation), ("$id", videoId));

    private const string VideoColumns = "id, path, size, mtime_ticks, content_hash, duration, clip_count, clip_length, status, error, indexed_at, " +
        "(SELECT group_concat(start_seconds || ':' || end_seconds, ';') FROM damaged_spans d WHERE d.video_id = videos.id)";

    private static List<LibraryVideo> ReadVideos(SqliteCommand command)
    {
        var videos = new List<LibraryVideo>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            videos.Add(new LibraryVideo(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetDouble(5), reader.GetInt32(6), reader.GetDouble(7),
                reader.GetString(8) == "indexed" ? VideoStatus.Indexed : VideoStatus.Failed,
                reader.IsDBNull(9) ? null : reader.GetString(9),
                DateTimeOffset.Parse(reader.GetString(10), CultureInfo.InvariantCulture))
            {
                Damaged = reader.IsDBNull(11) ? [] : ParseSpans(reader.GetString(11)),
            });
        }
        return videos;
    }

    private static TemporalWindow[] ParseSpans(string text) =>
        [.. text.Split(';').Select(pair => pair.Split(':')).Select(parts => new TemporalWindow(
            double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture))).OrderBy(span => span.Start)];

    private static long InsertVideo(SqliteConnection connection, string path, long size, long mtime, string hash, double duration,
        int clips, double clipLength, string status, string? error, string model)
    {
        Execute(connection, "DELETE FROM videos WHERE path = $path", ("$path", path));
        Execute(connection, """
            INSERT INTO videos (path, size, mtime_ticks, content_hash, duration, clip_count, clip_length, status, error, model, indexed_at)
            VALUES ($path, $size, $mtime, $hash, $duration, $clips, $clipLength, $status, $error, $model, $at)
            """,
            ("$path", path), ("$size", size), ("$mtime", mtime), ("$hash", hash), ("$duration", duration), ("$clips", clips),
            ("$clipLength", clipLength), ("$status", status), ("$error", (object?)error ?? DBNull.Value), ("$model", model),
            ("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
        return Convert.ToInt64(Scalar(connection, "SELECT last_insert_rowid()"), CultureInfo.InvariantCulture);
    }

    private static void InsertVector(SqliteConnection connection, long videoId, VectorKind kind, int position, ClipSpan span, ReadOnlySpan<float> vector)
    {
        var data = EmbeddingBlob.Encode(vector);
        Execute(connection, """
            INSERT INTO video_vectors (video_id, kind, position, start_clip, end_clip, crc32, data)
            VALUES ($id, $kind, $position, $start, $end, $crc, $data)
            """,
            ("$id", videoId), ("$kind", (int)kind), ("$position", position), ("$start", span.Start), ("$end", span.End),
            ("$crc", (long)EmbeddingBlob.Checksum(data)), ("$data", data));
    }

    /// <summary>
    /// Creates the tables and the schema version if they are missing, in one transaction, so two processes
    /// opening a new library at the same moment do not trip over each other; then checks the version.
    /// </summary>
    private void Initialise()
    {
        try
        {
            using var connection = Connect();
            Execute(connection, "PRAGMA journal_mode = WAL");
            string version;
            using (var transaction = connection.BeginTransaction())
            {
                Execute(connection, CatalogSchema.Create);
                Execute(connection, "INSERT OR IGNORE INTO library (key, value) VALUES ('schema_version', $v)", ("$v", CatalogSchema.Version.ToString(CultureInfo.InvariantCulture)));
                version = Convert.ToString(Scalar(connection, "SELECT value FROM library WHERE key = 'schema_version'"), CultureInfo.InvariantCulture) ?? "";
                if (!int.TryParse(version, CultureInfo.InvariantCulture, out var number) || number > CatalogSchema.Version)
                    throw new LibraryException(CatalogPath, $"the catalog has schema version {version}; this Vireo reads up to {CatalogSchema.Version} (upgrade Vireo)");
                Upgrade(connection, number);
                transaction.Commit();
            }
        }
        catch (SqliteException e)
        {
            throw new LibraryException(CatalogPath, $"the catalog cannot be opened (damaged or not a Vireo catalog): {e.Message}", e);
        }
    }

    /// <summary>Brings a catalog of an older version up to <see cref="CatalogSchema.Version"/> inside the opening transaction.</summary>
    private static void Upgrade(SqliteConnection connection, int version)
    {
        for (var from = Math.Max(version, 1); from < CatalogSchema.Version; from++)
        {
            if (CatalogSchema.Upgrades[from - 1].Length > 0)
                Execute(connection, CatalogSchema.Upgrades[from - 1]);
        }
        if (version < CatalogSchema.Version)
        {
            Execute(connection, "UPDATE library SET value = $v WHERE key = 'schema_version'", ("$v", CatalogSchema.Version.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private Dictionary<string, string> ReadMeta()
    {
        using var connection = Connect();
        return ReadMeta(connection);
    }

    private static Dictionary<string, string> ReadMeta(SqliteConnection connection)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, value FROM library";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            values[reader.GetString(0)] = reader.GetString(1);
        return values;
    }

    /// <summary>Runs catalog work, turning SQLite failures (a damaged or locked file) into <see cref="LibraryException"/>.</summary>
    private T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (SqliteException e)
        {
            throw new LibraryException(CatalogPath, $"catalog error (damaged, locked or full disk?): {e.Message}", e);
        }
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new LibraryException(CatalogPath, "the catalog cannot be opened: " + e.Message, e);
        }
    }

    private static int Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
