using Vireo.Errors;

namespace Vireo.Models.Tokenization;

/// <summary>A tokenizer file (merges, vocabulary, tokenizer.json, tokenizer_config.json) that cannot be used.</summary>
public sealed class TokenizerFormatException : VireoException
{
    public TokenizerFormatException(string path, int? line, string problem, Exception? inner = null)
        : base(ErrorKind.Input, $"{path}{(line is { } l ? $" line {l}" : "")}: {problem}", path, problem, inner)
    {
        FilePath = path;
        Line = line;
        Problem = problem;
    }

    public TokenizerFormatException()
        : this("(unknown)", null, "invalid tokenizer file")
    {
    }

    public TokenizerFormatException(string message)
        : this("(unknown)", null, message)
    {
    }

    public TokenizerFormatException(string message, Exception innerException)
        : this("(unknown)", null, message, innerException)
    {
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line at fault, when known.</summary>
    public int? Line { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
