namespace Vireo.Research.Datasets;

/// <summary>What a loader does with a faulty record (a window whose start is after its end, a video without a duration).</summary>
public enum FaultPolicy
{
    /// <summary>Leave the record out and report it in <see cref="GroundingDataset.Faults"/> (the default).</summary>
    Skip,

    /// <summary>Repair an inverted window by swapping start and end, and report it; records that cannot be repaired are skipped.</summary>
    Swap,

    /// <summary>Throw <see cref="DatasetFormatException"/> at the first faulty record.</summary>
    Fail,
}

/// <summary>Options of every dataset loader.</summary>
public sealed record DatasetLoadOptions
{
    public static DatasetLoadOptions Default { get; } = new();

    /// <summary>What to do with faulty records; <see cref="FaultPolicy.Skip"/> by default.</summary>
    public FaultPolicy FaultPolicy { get; init; } = FaultPolicy.Skip;
}

/// <summary>A faulty record: where it is, what is wrong, and what the policy did (skipped or swapped).</summary>
public sealed record DatasetFault(string File, int Line, string Message, string Action)
{
    public override string ToString() => $"{File}:{Line}: {Message} ({Action})";
}

/// <summary>A malformed annotation, feature or prediction file; the message names the file and, where known, the line.</summary>
public sealed class DatasetFormatException : Vireo.Errors.VireoException
{
    public DatasetFormatException(string path, int line, string message)
        : base(Errors.ErrorKind.Input, line > 0 ? $"{path}:{line}: {message}" : $"{path}: {message}", path, message)
    {
        FilePath = path;
        Line = line;
    }

    public DatasetFormatException(string path, int line, string message, Exception inner)
        : base(Errors.ErrorKind.Input, line > 0 ? $"{path}:{line}: {message}" : $"{path}: {message}", path, message, inner)
    {
        FilePath = path;
        Line = line;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>1-based line, or 0 when not known.</summary>
    public int Line { get; }
}
