namespace Vireo.Errors;

/// <summary>
/// Base of every error Vireo reports to its users. <see cref="Kind"/> says whose fault it is; the message names the
/// input at fault (<see cref="Subject"/>), and <see cref="Reason"/> says what is wrong without naming it (what a
/// remote client is shown: it must not learn the server's paths).
/// </summary>
public abstract class VireoException : Exception
{
    protected VireoException(ErrorKind kind, string message, string? subject = null, string? reason = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Subject = subject;
        Reason = reason ?? message;
    }

    public ErrorKind Kind { get; }

    /// <summary>The file, folder or option the error is about, when there is one.</summary>
    public string? Subject { get; }

    /// <summary>What went wrong, without the subject's name.</summary>
    public string Reason { get; }

    /// <summary>"subject: reason", or the reason alone.</summary>
    protected static string Compose(string? subject, string reason) => string.IsNullOrEmpty(subject) ? reason : $"{subject}: {reason}";
}

/// <summary>A bad argument or option value, said in one sentence (<see cref="ErrorKind.Usage"/>).</summary>
public sealed class UsageException(string reason) : VireoException(ErrorKind.Usage, reason);

/// <summary>A bad input detected by a caller (<see cref="ErrorKind.Input"/>, or <see cref="ErrorKind.NotFound"/> when it does not exist).</summary>
public sealed class InputException(string? subject, string reason, ErrorKind kind = ErrorKind.Input)
    : VireoException(kind, Compose(subject, reason), subject, reason);

/// <summary>A request that does not fit the state it meets (<see cref="ErrorKind.Conflict"/>).</summary>
public sealed class ConflictException(string reason) : VireoException(ErrorKind.Conflict, reason);
