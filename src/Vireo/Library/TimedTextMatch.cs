using Vireo.TimedText;

namespace Vireo.Library;

/// <summary>A timed-text entry of an indexed video that matched a query.</summary>
/// <param name="EntryId">The catalog's id of the entry.</param>
/// <param name="VideoId">The catalog's id of its video.</param>
/// <param name="Entry">The entry: channel, language, [start, end], text.</param>
/// <param name="Bm25">FTS5's BM25 rank: lower is better (SQLite negates the score); 0 when read by id.</param>
public sealed record TimedTextMatch(long EntryId, long VideoId, TimedTextEntry Entry, double Bm25);
