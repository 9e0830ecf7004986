using System.Globalization;
using Microsoft.Data.Sqlite;
using Vireo.TimedText;

namespace Vireo.Library;

/// <summary>The timed text of the catalog: entries per video and channel, their FTS5 index, and the channels each video was read for.</summary>
public sealed partial class VideoLibrary
{
    /// <summary>The channels read for each indexed video (a video with none read has no entry).</summary>
    public Dictionary<long, HashSet<TextChannel>> TextChannelsByVideo()
    {
        return Guard(() =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT video_id, channel FROM text_channels";
            using var reader = command.ExecuteReader();
            var channels = new Dictionary<long, HashSet<TextChannel>>();
            while (reader.Read())
            {
                if (TextChannelNames.Parse(reader.GetString(1)) is not { } channel)
                    continue; // a channel a newer Vireo added
                var videoId = reader.GetInt64(0);
                if (!channels.TryGetValue(videoId, out var set))
                    channels[videoId] = set = [];
                set.Add(channel);
            }
            return channels;
        });
    }

    /// <summary>The channels read for one video.</summary>
    public IReadOnlySet<TextChannel> TextChannelsOf(long videoId) =>
        TextChannelsByVideo().TryGetValue(videoId, out var channels) ? channels : new HashSet<TextChannel>();

    /// <summary>A video's timed text, sorted by start (all channels, or only <paramref name="channels"/>).</summary>
    public IReadOnlyList<TimedTextEntry> ReadTimedText(long videoId, IReadOnlyCollection<TextChannel>? channels = null)
    {
        return Guard(() =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT channel, language, start_seconds, end_seconds, text, confidence, source FROM timed_text
                WHERE video_id = $id {ChannelFilter(channels, "channel")}
                ORDER BY start_seconds, id
                """;
            command.Parameters.AddWithValue("$id", videoId);
            using var reader = command.ExecuteReader();
            var entries = new List<TimedTextEntry>();
            while (reader.Read())
            {
                if (ReadEntry(reader, 0) is { } entry)
                    entries.Add(entry);
            }
            return entries;
        });
    }

    /// <summary>
    /// Stores what <paramref name="channels"/> read in an indexed video (replacing what they read before) and records
    /// them as read, in one transaction: the video's other data are not touched.
    /// </summary>
    /// <param name="videoId">An indexed video.</param>
    /// <param name="channels">The channels read (their earlier text is replaced).</param>
    /// <param name="entries">What they read.</param>
    /// <param name="vectors">The entries' sentence vectors, one row per entry (or null to leave them for later).</param>
    /// <param name="sentenceModel">The sentence model that made <paramref name="vectors"/>.</param>
    public void AddTimedText(long videoId, IReadOnlyCollection<TextChannel> channels, IReadOnlyList<TimedTextEntry> entries,
        float[]? vectors = null, string? sentenceModel = null)
    {
        Guard(() =>
        {
            ArgumentNullException.ThrowIfNull(channels);
            ArgumentNullException.ThrowIfNull(entries);
            using var connection = Connect();
            using var transaction = connection.BeginTransaction();
            if (Scalar(connection, "SELECT 1 FROM videos WHERE status = 'indexed' AND id = " + videoId.ToString(CultureInfo.InvariantCulture)) is null)
                throw new LibraryException(CatalogPath, $"video {videoId} is not an indexed video of the library");
            Execute(connection, $"DELETE FROM timed_text WHERE video_id = $id {ChannelFilter(channels, "channel")}", ("$id", videoId));
            InsertTimedText(connection, videoId, channels, entries, vectors, sentenceModel);
            Stamp(connection, videoId, BumpGeneration(connection));
            transaction.Commit();
            return 0;
        });
    }

    /// <summary>
    /// The entries of indexed videos that match <paramref name="query"/> in <paramref name="channels"/>, best BM25 first
    /// (at most <paramref name="limit"/>).
    /// </summary>
    public IReadOnlyList<TimedTextMatch> SearchTimedText(TimedTextQuery query, IReadOnlyCollection<TextChannel> channels, int limit)
    {
        return Guard(() =>
        {
            ArgumentNullException.ThrowIfNull(query);
            ArgumentNullException.ThrowIfNull(channels);
            if (query.IsEmpty || channels.Count == 0 || limit <= 0)
                return (IReadOnlyList<TimedTextMatch>)[];
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT t.channel, t.language, t.start_seconds, t.end_seconds, t.text, t.confidence, t.source, t.video_id, bm25(timed_text_fts), t.id
                FROM timed_text_fts
                JOIN timed_text t ON t.id = timed_text_fts.rowid
                JOIN videos v ON v.id = t.video_id AND v.status = 'indexed'
                WHERE timed_text_fts MATCH $query {ChannelFilter(channels, "t.channel")}
                ORDER BY bm25(timed_text_fts)
                LIMIT $limit
                """;
            command.Parameters.AddWithValue("$query", query.Fts5);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var matches = new List<TimedTextMatch>();
            while (reader.Read())
            {
                if (ReadEntry(reader, 0) is { } entry)
                    matches.Add(new TimedTextMatch(reader.GetInt64(9), reader.GetInt64(7), entry, reader.GetDouble(8)));
            }
            return (IReadOnlyList<TimedTextMatch>)matches;
        });
    }

    private static readonly string[] EntryParameters = ["$id", "$channel", "$language", "$start", "$end", "$text", "$confidence", "$source"];

    /// <summary>Inserts entries (with their sentence vectors when given) and marks their channels read for a video, in the caller's transaction.</summary>
    private static void InsertTimedText(SqliteConnection connection, long videoId, IReadOnlyCollection<TextChannel> channels, IReadOnlyList<TimedTextEntry> entries,
        float[]? vectors, string? sentenceModel)
    {
        var width = 0;
        if (vectors is not null && entries.Count > 0)
        {
            width = vectors.Length / entries.Count;
            if (width * entries.Count != vectors.Length || sentenceModel is null)
                throw new ArgumentException($"{vectors.Length} vector values do not make one row for each of {entries.Count} entries, or their model is not named", nameof(vectors));
            RequireSentenceModel(connection, sentenceModel);
        }
        var at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO timed_text (video_id, channel, language, start_seconds, end_seconds, text, confidence, source)
            VALUES ($id, $channel, $language, $start, $end, $text, $confidence, $source)
            """;
        var parameters = EntryParameters.Select(name => insert.Parameters.AddWithValue(name, DBNull.Value)).ToArray();
        var index = 0;
        foreach (var entry in entries)
        {
            if (!channels.Contains(entry.Channel))
                throw new ArgumentException($"an entry of channel {entry.Channel} is not among the channels stored ({string.Join(", ", channels)})", nameof(entries));
            parameters[0].Value = videoId;
            parameters[1].Value = TextChannelNames.Name(entry.Channel);
            parameters[2].Value = (object?)entry.Language ?? DBNull.Value;
            parameters[3].Value = entry.Start;
            parameters[4].Value = entry.End;
            parameters[5].Value = entry.Text;
            parameters[6].Value = entry.Confidence;
            parameters[7].Value = entry.Source;
            insert.ExecuteNonQuery();
            if (width > 0)
                InsertSentenceVector(connection, vectors.AsSpan(index * width, width));
            index++;
        }
        foreach (var channel in channels)
        {
            var count = entries.Count(entry => entry.Channel == channel);
            Execute(connection, "INSERT OR REPLACE INTO text_channels (video_id, channel, entries, read_at) VALUES ($id, $channel, $entries, $at)",
                ("$id", videoId), ("$channel", TextChannelNames.Name(channel)), ("$entries", count), ("$at", at));
        }
    }

    /// <summary>
    /// Copies the timed text of the channels that depend only on the file's content (on-screen text, speech) from one
    /// video to its copy, in the caller's transaction. Subtitles are not copied: sidecar files go by the file's name.
    /// </summary>
    private static void CopyContentTimedText(SqliteConnection connection, long from, long to)
    {
        var contentChannels = ChannelFilter([TextChannel.Ocr, TextChannel.Speech], "channel");
        Execute(connection, $"""
            INSERT INTO timed_text (video_id, channel, language, start_seconds, end_seconds, text, confidence, source)
            SELECT $to, channel, language, start_seconds, end_seconds, text, confidence, source FROM timed_text
            WHERE video_id = $from {contentChannels} ORDER BY id
            """, ("$to", to), ("$from", from));
        Execute(connection, $"""
            INSERT INTO text_channels (video_id, channel, entries, read_at)
            SELECT $to, channel, entries, read_at FROM text_channels WHERE video_id = $from {contentChannels}
            """, ("$to", to), ("$from", from));
    }

    /// <summary>"AND column IN ('ocr', ...)" for a set of channels (names are fixed words, never user text), or "" for all.</summary>
    private static string ChannelFilter(IReadOnlyCollection<TextChannel>? channels, string column) =>
        channels is null ? "" : $"AND {column} IN ({string.Join(", ", channels.Select(c => "'" + TextChannelNames.Name(c) + "'"))})";

    private static TimedTextEntry? ReadEntry(SqliteDataReader reader, int first)
    {
        if (TextChannelNames.Parse(reader.GetString(first)) is not { } channel)
            return null;
        return new TimedTextEntry(channel, reader.IsDBNull(first + 1) ? null : reader.GetString(first + 1), reader.GetDouble(first + 2),
            reader.GetDouble(first + 3), reader.GetString(first + 4), reader.GetDouble(first + 5), reader.GetString(first + 6));
    }
}
