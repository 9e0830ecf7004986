namespace Vireo.Errors;

/// <summary>
/// Whose fault an error is, which decides what a host does with it: the command line maps a kind to an exit code,
/// the server to an HTTP status (each in one place). A bad input never shows a stack trace.
/// </summary>
public enum ErrorKind
{
    /// <summary>The request itself is wrong: a bad argument or option value (an empty query, a span outside the video).</summary>
    Usage,

    /// <summary>An input is wrong: damaged, unreadable, unsupported or malformed (a video, a model, an annotation file, a catalog).</summary>
    Input,

    /// <summary>An input does not exist (a file, a folder, a video of the library).</summary>
    NotFound,

    /// <summary>The request does not fit the state it meets (another model than the library's, an indexing run already going).</summary>
    Conflict,

    /// <summary>Something Vireo needs is missing from the machine (FFmpeg, a model, the network to download one).</summary>
    Dependency,

    /// <summary>A bug: please report it.</summary>
    Internal,
}
