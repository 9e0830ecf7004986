namespace Vireo.Library;

/// <summary>
/// The catalog's tables (SQLite). A video's row, its clip embeddings, its events and its timed text are written in one
/// transaction, so a reader (or a run after a crash) sees a video completely or not at all. Every table is created with
/// IF NOT EXISTS when a library is opened, so an older library gains the tables added since (<c>roots</c> and
/// <c>damaged_spans</c> kept version 1; the timed text made it version 2, see <see cref="Upgrades"/>).
/// </summary>
internal static class CatalogSchema
{
    /// <summary>2: timed text (<c>timed_text</c>, its FTS5 index <c>timed_text_fts</c>, <c>text_channels</c>); 3: its sentence vectors (<c>timed_text_vectors</c>).</summary>
    public const int Version = 3;

    /// <summary>
    /// What upgrading a catalog of version N to N+1 runs after <see cref="Create"/> (index N-1), in the opening
    /// transaction. Version 1 → 2 only needs the new tables: an upgraded video has no channel read yet, so the next
    /// <c>vireo index</c> with channels reads them without decoding the video again. Version 2 → 3 only needs the vector
    /// table: the next <c>vireo index</c> embeds the entries that have no vector.
    /// </summary>
    public static readonly string[] Upgrades = ["", ""];

    public const string Create = """
        CREATE TABLE IF NOT EXISTS library (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS videos (
            id            INTEGER PRIMARY KEY,
            path          TEXT NOT NULL UNIQUE,
            size          INTEGER NOT NULL,
            mtime_ticks   INTEGER NOT NULL,
            content_hash  TEXT NOT NULL,
            duration      REAL NOT NULL,
            clip_count    INTEGER NOT NULL,
            clip_length   REAL NOT NULL,
            status        TEXT NOT NULL CHECK (status IN ('indexed', 'failed')),
            error         TEXT,
            model         TEXT NOT NULL,
            indexed_at    TEXT NOT NULL,
            generation    INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS videos_generation ON videos (generation);
        CREATE INDEX IF NOT EXISTS videos_hash ON videos (content_hash);
        CREATE TABLE IF NOT EXISTS clip_embeddings (
            video_id  INTEGER PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
            rows      INTEGER NOT NULL,
            dimension INTEGER NOT NULL,
            crc32     INTEGER NOT NULL,
            data      BLOB NOT NULL,
            events    BLOB NOT NULL DEFAULT x''
        );
        CREATE TABLE IF NOT EXISTS video_vectors (
            video_id  INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
            kind      INTEGER NOT NULL,
            position  INTEGER NOT NULL,
            start_clip INTEGER NOT NULL,
            end_clip  INTEGER NOT NULL,
            crc32     INTEGER NOT NULL,
            data      BLOB NOT NULL,
            PRIMARY KEY (video_id, kind, position)
        );
        CREATE TABLE IF NOT EXISTS roots (
            path      TEXT PRIMARY KEY,
            added_at  TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS damaged_spans (
            video_id      INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
            start_seconds REAL NOT NULL,
            end_seconds   REAL NOT NULL,
            PRIMARY KEY (video_id, start_seconds)
        );
        CREATE TABLE IF NOT EXISTS timed_text (
            id            INTEGER PRIMARY KEY,
            video_id      INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
            channel       TEXT NOT NULL,
            language      TEXT,
            start_seconds REAL NOT NULL,
            end_seconds   REAL NOT NULL,
            text          TEXT NOT NULL,
            confidence    REAL NOT NULL,
            source        TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS timed_text_video ON timed_text (video_id, channel, start_seconds);
        CREATE VIRTUAL TABLE IF NOT EXISTS timed_text_fts USING fts5 (
            text, content = 'timed_text', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER IF NOT EXISTS timed_text_indexed AFTER INSERT ON timed_text BEGIN
            INSERT INTO timed_text_fts (rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER IF NOT EXISTS timed_text_unindexed AFTER DELETE ON timed_text BEGIN
            INSERT INTO timed_text_fts (timed_text_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        CREATE TABLE IF NOT EXISTS timed_text_vectors (
            entry_id  INTEGER PRIMARY KEY,
            data      BLOB NOT NULL
        );
        CREATE TRIGGER IF NOT EXISTS timed_text_vector_removed AFTER DELETE ON timed_text BEGIN
            DELETE FROM timed_text_vectors WHERE entry_id = old.id;
        END;
        CREATE TABLE IF NOT EXISTS text_channels (
            video_id  INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
            channel   TEXT NOT NULL,
            entries   INTEGER NOT NULL,
            read_at   TEXT NOT NULL,
            PRIMARY KEY (video_id, channel)
        );
        """;
}
