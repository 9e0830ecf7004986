using System.Diagnostics;
using Vireo.Cli;
using Vireo.Cli.Terminal;

namespace Vireo.Tests.Support;

/// <summary>Runs the vireo command (in-process, or as a child process) and captures its exit code and output.</summary>
public static class CliRunner
{
    public static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => RunAsync(Frames.Ct, args);

    /// <summary>Runs with <paramref name="cancellationToken"/> as the interruption (Ctrl+C).</summary>
    public static async Task<(int Code, string Out, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await VireoCli.InvokeAsync(args, new CliConsole(output, error, interactive: false), cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// The built CLI where nobody can run it: the test output folder itself when every folder above it may be searched
    /// by others, else (a checkout under /root, say) a copy under the tests' temporary folder.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static readonly Lazy<string> NobodysCopy = new(() =>
    {
        var folder = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            if ((dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
                return CopyForEveryone(folder);
        }
        return folder;
    });

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string CopyForEveryone(string folder)
    {
        var copy = TestVideos.NewPath("cli-for-nobody");
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        foreach (var dir in Directory.EnumerateDirectories(copy, "*", SearchOption.AllDirectories).Append(copy))
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        return copy;
    }

    /// <summary>Skips unless the tests can run the CLI as the unprivileged user nobody (Linux, setpriv, running as root).</summary>
    public static void RequireNobody() =>
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/usr/bin/setpriv") && Environment.UserName == "root",
            "runs the CLI as an unprivileged user with setpriv (root reads everything)");

    /// <summary>
    /// Runs the built CLI as a child process with <paramref name="environment"/> added (CI=true: no progress bars); with
    /// <paramref name="asNobody"/>, as the user nobody through setpriv, for permission tests (see <see cref="RequireNobody"/>).
    /// </summary>
    public static async Task<(int Code, string Out, string Error)> RunProcessAsync(string[] arguments, Dictionary<string, string> environment, bool asNobody = false)
    {
        var info = new ProcessStartInfo(asNobody ? "/usr/bin/setpriv" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asNobody)
        {
            foreach (var argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "dotnet" })
                info.ArgumentList.Add(argument);
        }
        info.ArgumentList.Add(Path.Combine(asNobody && !OperatingSystem.IsWindows() ? NobodysCopy.Value : AppContext.BaseDirectory, "Vireo.Cli.dll"));
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["CI"] = "true";
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the CLI");
        var output = process.StandardOutput.ReadToEndAsync(Frames.Ct);
        var error = process.StandardError.ReadToEndAsync(Frames.Ct);
        await process.WaitForExitAsync(Frames.Ct);
        return (process.ExitCode, await output, await error);
    }
}
