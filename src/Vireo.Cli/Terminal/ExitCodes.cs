using Vireo.Errors;

namespace Vireo.Cli.Terminal;

/// <summary>The vireo command's exit codes (documented in README.md and in <c>vireo --help</c>).</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The command line is wrong (unknown option, missing argument, bad value).</summary>
    public const int Usage = 1;

    /// <summary>An input is wrong: missing, not a video, damaged, unsupported, or a malformed file.</summary>
    public const int InputError = 2;

    /// <summary>Something Vireo needs is missing from the machine (FFmpeg, a model).</summary>
    public const int Environment = 3;

    /// <summary>An unexpected internal error (a bug: please report it).</summary>
    public const int Internal = 4;

    /// <summary>
    /// Partly done: <c>vireo index</c> indexed some files but others failed (each is listed). When every file failed,
    /// nothing could be indexed and the code is <see cref="InputError"/>.
    /// </summary>
    public const int Partial = 5;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code of an error of <paramref name="kind"/>: the one place where errors become exit codes.</summary>
    public static int For(ErrorKind kind) => kind switch
    {
        ErrorKind.Usage => Usage,
        ErrorKind.Input or ErrorKind.NotFound or ErrorKind.Conflict => InputError,
        ErrorKind.Dependency => Environment,
        _ => Internal,
    };

    /// <summary>The error's name in <c>--json</c> output.</summary>
    public static string Name(ErrorKind kind) => For(kind) switch
    {
        Usage => "usage_error",
        InputError => "input_error",
        Environment => "missing_dependency",
        _ => "internal_error",
    };

    public const string Help =
        "Exit codes: 0 ok, 1 usage error, 2 input error (missing, unreadable, damaged or unsupported input), " +
        "3 missing dependency (FFmpeg, model), 4 internal error, 5 partly done (index: some files failed, each listed; " +
        "2 when none could be indexed), 130 interrupted.";
}
