using Vireo.Errors;

namespace Vireo.TimedText.Speech;

/// <summary>
/// The native whisper.cpp runtime (Whisper.net.Runtime) cannot be loaded on this machine: missing or incompatible
/// shared libraries, an unsupported CPU or operating system. The message carries the loader's own words.
/// </summary>
public sealed class SpeechRuntimeException(string detail, Exception? inner = null)
    : VireoException(ErrorKind.Dependency,
        "the Whisper runtime (whisper.cpp from Whisper.net.Runtime) cannot be loaded on this machine: " + detail,
        "whisper", "the native Whisper runtime cannot be loaded: " + detail, inner);
