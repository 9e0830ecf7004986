using Vireo.Grounding;

namespace Vireo.Engine;

/// <summary>A sentence grounded in one video: the file, its catalog id when the library's stored clips were used, and the moments.</summary>
/// <param name="Query">The sentence, trimmed.</param>
/// <param name="Path">The video file.</param>
/// <param name="VideoId">The catalog's id when the library's stored clips were used.</param>
/// <param name="Duration">The video's duration in seconds.</param>
/// <param name="ClipLength">Seconds per clip.</param>
/// <param name="Result">The moments and the saliency curve.</param>
public sealed record GroundedVideo(string Query, string Path, long? VideoId, double Duration, double ClipLength, GroundingResult Result);
