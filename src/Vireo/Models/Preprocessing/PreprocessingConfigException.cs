using Vireo.Errors;

namespace Vireo.Models.Preprocessing;

/// <summary>A model's preprocessing configuration file that cannot be used.</summary>
public sealed class PreprocessingConfigException : VireoException
{
    public PreprocessingConfigException(string path, string problem, Exception? inner = null)
        : base(ErrorKind.Input, $"{path}: {problem}", path, problem, inner)
    {
        FilePath = path;
    }

    public PreprocessingConfigException()
        : this("(unknown)", "invalid preprocessing configuration")
    {
    }

    public PreprocessingConfigException(string message)
        : this("(unknown)", message)
    {
    }

    public PreprocessingConfigException(string message, Exception innerException)
        : this("(unknown)", message, innerException)
    {
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }
}
