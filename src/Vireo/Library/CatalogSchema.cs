namespace Vireo.Library;

/// <summary>
/// The catalog's tables (SQLite). A video's row, its clip embeddings and its events are written in one
/// transaction, so a reader (or a run after a crash) sees a video completely or not at all. Tables added after
/// version 1 (<c>roots</c>, <c>damaged_spans</c>) are created with IF NOT EXISTS when a library is opened, so older libraries gain them
/// without a version change and older Vireo builds, which ignore them, can still read the catalog.
/// </summary>
internal static class CatalogSchema
{
    public const int Version = 1;

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
        """;
}
