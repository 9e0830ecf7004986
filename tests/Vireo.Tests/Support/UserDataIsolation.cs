using System.Runtime.CompilerServices;

namespace Vireo.Tests.Support;

/// <summary>
/// Keeps the tests away from the user's own library and model store: a command run without --library or
/// --models-dir (as `vireo ground VIDEO` looks for the video in the default library) gets folders of this test run.
/// </summary>
internal static class UserDataIsolation
{
    [ModuleInitializer]
    internal static void UseTestFolders()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("VIREO_LIBRARY")))
            Environment.SetEnvironmentVariable("VIREO_LIBRARY", TestVideos.NewPath("default-library"));
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("VIREO_MODELS")))
            Environment.SetEnvironmentVariable("VIREO_MODELS", TestVideos.NewPath("default-models"));
    }
}
