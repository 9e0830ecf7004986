using System.Globalization;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;
using Microsoft.Data.Sqlite;
using Vireo.TimedText;

namespace Vireo.Library;

/// <summary>
/// The sentence embeddings of the timed text (table <c>timed_text_vectors</c>, one float16 row per entry, removed with
/// its entry). The library records the sentence model that made them (<c>sentence_model</c>) and refuses vectors of
/// another: two models' vectors are not comparable.
/// </summary>
public sealed partial class VideoLibrary
{
    /// <summary>The setting naming the sentence model of the stored vectors.</summary>
    public const string SentenceModelKey = "sentence_model";

    /// <summary>The sentence model that made the stored vectors, or null when none are stored.</summary>
    public string? SentenceModel => ReadSetting(SentenceModelKey);

    /// <summary>Entries of indexed videos without a sentence vector (stored before the semantic stage, or copied), oldest first.</summary>
    public IReadOnlyList<(long EntryId, string Text)> EntriesWithoutSentenceVectors(int limit)
    {
        return Guard(() =>
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT t.id, t.text FROM timed_text t JOIN videos v ON v.id = t.video_id AND v.status = 'indexed'
                WHERE NOT EXISTS (SELECT 1 FROM timed_text_vectors s WHERE s.entry_id = t.id)
                ORDER BY t.id LIMIT $limit
                """;
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var entries = new List<(long, string)>();
            while (reader.Read())
                entries.Add((reader.GetInt64(0), reader.GetString(1)));
            return (IReadOnlyList<(long, string)>)entries;
        });
    }

    /// <summary>Stores the vectors of existing entries (<paramref name="vectors"/>: one row per id) in one transaction.</summary>
    /// <exception cref="LibraryException">The library's vectors were made by another sentence model.</exception>
    public void StoreSentenceVectors(IReadOnlyList<long> entryIds, ReadOnlySpan<float> vectors, string sentenceModel)
    {
        ArgumentNullException.ThrowIfNull(entryIds);
        if (entryIds.Count == 0)
            return;
        var width = vectors.Length / entryIds.Count;
        if (width * entryIds.Count != vectors.Length)
            throw new ArgumentException($"{vectors.Length} values are not {entryIds.Count} rows", nameof(vectors));
        var blobs = new byte[entryIds.Count][];
        for (var i = 0; i < blobs.Length; i++)
            blobs[i] = EmbeddingBlob.Encode(vectors.Slice(i * width, width));
        Guard(() =>
        {
            using var connection = Connect();
            using var transaction = connection.BeginTransaction();
            RequireSentenceModel(connection, sentenceModel);
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT OR REPLACE INTO timed_text_vectors (entry_id, data) SELECT $id, $data WHERE EXISTS (SELECT 1 FROM timed_text WHERE id = $id)";
            var id = insert.Parameters.AddWithValue("$id", 0L);
            var data = insert.Parameters.AddWithValue("$data", Array.Empty<byte>());
            for (var i = 0; i < blobs.Length; i++)
            {
                id.Value = entryIds[i];
                data.Value = blobs[i];
                insert.ExecuteNonQuery();
            }
            BumpGeneration(connection);
            transaction.Commit();
            return 0;
        });
    }

    /// <summary>The sentence vectors of every indexed video's timed text, for the semantic stage (empty when none are stored).</summary>
    public SentenceVectorTable ReadSentenceVectors()
    {
        return Guard(() =>
        {
            using var connection = Connect();
            using var transaction = connection.BeginTransaction(); // one snapshot: the generation and the rows agree
            var generation = ReadGeneration(connection);
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT s.entry_id, t.video_id, t.channel, s.data FROM timed_text_vectors s
                JOIN timed_text t ON t.id = s.entry_id
                JOIN videos v ON v.id = t.video_id AND v.status = 'indexed'
                ORDER BY s.entry_id
                """;
            using var reader = command.ExecuteReader();
            var entries = new List<long>();
            var videos = new List<long>();
            var channels = new List<TextChannel>();
            var vectors = new List<Half>();
            var dimension = 0;
            while (reader.Read())
            {
                if (TextChannelNames.Parse(reader.GetString(2)) is not { } channel)
                    continue;
                var bytes = (byte[])reader.GetValue(3);
                if (dimension == 0)
                    dimension = bytes.Length / 2;
                if (bytes.Length != dimension * 2)
                    throw new LibraryException(CatalogPath, $"the sentence vector of timed-text entry {reader.GetInt64(0)} has {bytes.Length} bytes, the others {dimension * 2}: the catalog is damaged");
                entries.Add(reader.GetInt64(0));
                videos.Add(reader.GetInt64(1));
                channels.Add(channel);
                vectors.AddRange(MemoryMarshal.Cast<byte, Half>(bytes));
            }
            return new SentenceVectorTable(generation, dimension, [.. entries], [.. videos], [.. channels], [.. vectors]);
        });
    }

    /// <summary>Timed-text entries by id (entries of videos no longer indexed are left out).</summary>
    public IReadOnlyList<TimedTextMatch> ReadTimedTextEntries(IReadOnlyCollection<long> entryIds)
    {
        return Guard(() =>
        {
            ArgumentNullException.ThrowIfNull(entryIds);
            if (entryIds.Count == 0)
                return (IReadOnlyList<TimedTextMatch>)[];
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT t.channel, t.language, t.start_seconds, t.end_seconds, t.text, t.confidence, t.source, t.video_id, t.id
                FROM timed_text t JOIN videos v ON v.id = t.video_id AND v.status = 'indexed'
                WHERE t.id IN ({string.Join(",", entryIds.Select(id => id.ToString(CultureInfo.InvariantCulture)))})
                """;
            using var reader = command.ExecuteReader();
            var matches = new List<TimedTextMatch>();
            while (reader.Read())
            {
                if (ReadEntry(reader, 0) is { } entry)
                    matches.Add(new TimedTextMatch(reader.GetInt64(8), reader.GetInt64(7), entry, 0));
            }
            return (IReadOnlyList<TimedTextMatch>)matches;
        });
    }

    /// <summary>Records <paramref name="sentenceModel"/> as the library's, or checks it is; in the caller's transaction.</summary>
    private static void RequireSentenceModel(SqliteConnection connection, string sentenceModel)
    {
        var stored = Scalar(connection, $"SELECT value FROM library WHERE key = '{SentenceModelKey}'") as string;
        if (stored is null)
            Execute(connection, "INSERT INTO library (key, value) VALUES ($key, $value)", ("$key", SentenceModelKey), ("$value", sentenceModel));
        else if (stored != sentenceModel)
            throw new LibraryException(connection.DataSource, $"the timed text of this library was embedded with the sentence model {stored}, not {sentenceModel}: vectors of two models cannot be compared");
    }

    /// <summary>Inserts the vector of the entry just inserted, in the caller's transaction.</summary>
    private static void InsertSentenceVector(SqliteConnection connection, ReadOnlySpan<float> vector)
    {
        Execute(connection, "INSERT INTO timed_text_vectors (entry_id, data) VALUES (last_insert_rowid(), $data)", ("$data", EmbeddingBlob.Encode(vector)));
    }
}
