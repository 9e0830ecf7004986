using Vireo.Models;
using Whisper.net;
using Whisper.net.Logger;

namespace Vireo.TimedText.Speech;

/// <summary>
/// A Whisper model loaded for transcription: a ggml file (whisper.cpp's format) on the CPU. Thread-safe to share;
/// each transcription gets its own decoding state. Dispose to free the weights.
/// </summary>
public sealed class SpeechModel : IDisposable
{
    private readonly WhisperFactory _factory;

    private SpeechModel(string path, string name, GgmlWhisperHeader header, WhisperFactory factory)
    {
        Path = path;
        Name = name;
        Header = header;
        _factory = factory;
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>"base.en" for ggml-base.en.bin; the file name otherwise.</summary>
    public string Name { get; }

    /// <summary>What the file says about the network.</summary>
    public GgmlWhisperHeader Header { get; }

    /// <summary>The <see cref="TimedTextEntry.Source"/> of the entries this model transcribes.</summary>
    public string Source => "whisper " + Name;

    /// <summary>Loads the ggml Whisper file at <paramref name="path"/>.</summary>
    /// <exception cref="ModelNotFoundException">There is no such file.</exception>
    /// <exception cref="ModelFileException">The file is not a Whisper model whisper.cpp can load.</exception>
    /// <exception cref="SpeechRuntimeException">The native runtime cannot be loaded on this machine.</exception>
    public static SpeechModel Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new ModelNotFoundException(path, "no Whisper model file here. " + SpeechModelStore.HowToGetOne);
        var header = GgmlWhisperHeader.Read(fullPath);
        var log = new WhisperLog();
        using (LogProvider.AddLogger(log.Add))
        {
            try
            {
                var factory = WhisperFactory.FromPath(fullPath, new WhisperFactoryOptions { UseGpu = false });
                // Whisper.net only notices a failed load when a processor is built; whisper.cpp has said why by now.
                if (log.HasErrors)
                {
                    factory.Dispose();
                    throw new ModelFileException(fullPath, "whisper.cpp could not load the model: " + log.Errors());
                }
                return new SpeechModel(fullPath, NameOf(fullPath), header, factory);
            }
            catch (WhisperModelLoadException e)
            {
                throw new ModelFileException(fullPath, "whisper.cpp could not load the model: " + log.Errors(), e);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException
                or PlatformNotSupportedException or FileNotFoundException or InvalidOperationException)
            {
                throw new SpeechRuntimeException($"{e.Message} {log.Errors()}".Trim(), e);
            }
        }
    }

    /// <summary>A processor for one transcription, configured by <paramref name="configure"/>.</summary>
    /// <exception cref="ModelFileException">whisper.cpp cannot set up its decoding state for the model.</exception>
    internal WhisperProcessor CreateProcessor(Func<WhisperProcessorBuilder, WhisperProcessorBuilder> configure)
    {
        try
        {
            return configure(_factory.CreateBuilder()).Build();
        }
        catch (WhisperModelLoadException e)
        {
            throw new ModelFileException(Path, "whisper.cpp could not load the model: " + e.Message, e);
        }
    }

    /// <summary>What the native runtime reports about itself (CPU features, backends).</summary>
    public static string RuntimeInfo() => WhisperFactory.GetRuntimeInfo() ?? "";

    public void Dispose() => _factory.Dispose();

    /// <summary>"ggml-base.en.bin" → "base.en".</summary>
    public static string NameOf(string path)
    {
        var file = System.IO.Path.GetFileName(path);
        if (file.StartsWith(SpeechModelStore.FilePrefix, StringComparison.Ordinal) && file.EndsWith(SpeechModelStore.FileExtension, StringComparison.Ordinal))
            return file[SpeechModelStore.FilePrefix.Length..^SpeechModelStore.FileExtension.Length];
        return file;
    }

    /// <summary>whisper.cpp's and the library loader's messages while a model loads, kept to explain a failure.</summary>
    private sealed class WhisperLog
    {
        private readonly Lock _gate = new();
        private readonly Queue<string> _lines = new();

        public bool HasErrors { get; private set; }

        public void Add(WhisperLogLevel level, string? message)
        {
            if (level is not (WhisperLogLevel.Error or WhisperLogLevel.Warning) || string.IsNullOrWhiteSpace(message))
                return;
            lock (_gate)
            {
                HasErrors |= level == WhisperLogLevel.Error;
                if (_lines.Count == 8)
                    _lines.Dequeue();
                _lines.Enqueue(message.Trim());
            }
        }

        public string Errors()
        {
            lock (_gate)
                return _lines.Count == 0 ? "(whisper.cpp said nothing)" : string.Join(" | ", _lines);
        }
    }
}
