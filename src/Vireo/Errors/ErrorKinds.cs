namespace Vireo.Errors;

/// <summary>The kind of any exception: Vireo's own say theirs; the few system ones that mean a bad input are classed here.</summary>
public static class ErrorKinds
{
    public static ErrorKind Of(Exception exception) => exception switch
    {
        VireoException vireo => vireo.Kind,
        FileNotFoundException or DirectoryNotFoundException => ErrorKind.NotFound,
        InvalidDataException or UnauthorizedAccessException => ErrorKind.Input,
        _ => ErrorKind.Internal,
    };

    /// <summary>The input an exception is about, when it names one.</summary>
    public static string? SubjectOf(Exception exception) => exception switch
    {
        VireoException vireo => vireo.Subject,
        FileNotFoundException missing => missing.FileName,
        _ => null,
    };
}
