using System.CommandLine;
using Vireo.Library;

namespace Vireo.Cli.Commands;

/// <summary>The --library option of the commands that use a library.</summary>
internal static class LibraryOption
{
    public static Option<string> Create() => new("--library", "-l")
    {
        Description = $"The library folder (default: $VIREO_LIBRARY or {VideoLibrary.DefaultDirectory}).",
        DefaultValueFactory = _ => VideoLibrary.DefaultDirectory,
    };
}
