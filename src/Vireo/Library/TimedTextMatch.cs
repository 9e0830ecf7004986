using Vireo.TimedText;

namespace Vireo.Library;

/// <summary>A timed-text entry of an indexed video that matched a lexical query.</summary>
/// <param name="VideoId">The catalog's id of its video.</param>
/// <param name="Entry">The entry: channel, language, [start, end], text.</param>
/// <param name="Bm25">FTS5's BM25 rank: lower is better (SQLite negates the score).</param>
public sealed record TimedTextMatch(long VideoId, TimedTextEntry Entry, double Bm25);
