using Microsoft.ML.OnnxRuntime;

namespace Vireo.Models;

/// <summary>Opens ONNX Runtime sessions the way every Vireo model runs: CPU, fully optimised, sequential, errors naming the file.</summary>
public static class OnnxSessions
{
    /// <exception cref="ModelFileException">The file cannot be read, or ONNX Runtime cannot load it.</exception>
    public static InferenceSession Open(string path, int intraOpThreads)
    {
        RequireReadable(path);
        return Load(path, intraOpThreads, options => new InferenceSession(path, options));
    }

    /// <summary>Opens a model held in memory (one shipped inside a package); <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="ModelFileException">ONNX Runtime cannot load it.</exception>
    public static InferenceSession Open(byte[] model, string name, int intraOpThreads) =>
        Load(name, intraOpThreads, options => new InferenceSession(model, options));

    private static InferenceSession Load(string name, int intraOpThreads, Func<SessionOptions, InferenceSession> open)
    {
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            // Failures surface as exceptions naming the file; ONNX Runtime's own log would repeat them on stderr.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        try
        {
            return open(sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFileException(name, "ONNX Runtime cannot load this model (corrupt, truncated or not ONNX): " + FirstLine(e.Message), e);
        }
    }

    /// <summary>The first line of an ONNX Runtime message (the rest repeats internals).</summary>
    public static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }

    /// <summary>
    /// A file that cannot be opened is unreadable, not corrupt: ONNX Runtime reports both alike ("failed: system error
    /// number 13"), so the file is opened first and what stops it is said.
    /// </summary>
    private static void RequireReadable(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ModelFileException(path, Directory.Exists(path) ? "cannot be read: it is a folder, not an ONNX file" : "cannot be read: permission denied", e);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new ModelFileException(path, "cannot be read: " + e.Message, e);
        }
    }
}
