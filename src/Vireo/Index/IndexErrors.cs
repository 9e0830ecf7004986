using Vireo.Errors;

namespace Vireo.Index;

/// <summary>A vector index file is missing, damaged, truncated or of an unknown format; names the file.</summary>
public sealed class IndexFileException : VireoException
{
    public IndexFileException(string path, string reason, Exception? inner = null)
        : base(ErrorKind.Input, $"vector index file '{path}': {reason}", path, reason, inner)
    {
        FilePath = path;
    }

    /// <summary>The file the error is about.</summary>
    public string FilePath { get; }
}

/// <summary>Vectors or a query whose length does not match the index's dimension.</summary>
public sealed class DimensionMismatchException : ArgumentException
{
    public DimensionMismatchException(int expected, int actual, string what, string? paramName = null)
        : base($"{what} has dimension {actual} but the index holds {expected}-d vectors", paramName)
    {
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The index's dimension.</summary>
    public int Expected { get; }

    /// <summary>The dimension that was given.</summary>
    public int Actual { get; }
}
