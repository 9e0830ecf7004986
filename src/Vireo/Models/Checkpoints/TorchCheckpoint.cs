using System.Collections;
using System.IO.Compression;
using Razorvine.Pickle;

namespace Vireo.Models.Checkpoints;

/// <summary>
/// A PyTorch checkpoint as <c>torch.save</c> writes it (a zip: <c>&lt;folder&gt;/data.pkl</c>, the pickled object, and
/// <c>&lt;folder&gt;/data/&lt;key&gt;</c>, one raw little-endian storage per tensor), read without Python. The pickle is
/// read with Razorvine.Pickle; tensors become <see cref="CheckpointTensor"/>s whose storages are read from the zip only
/// when a tensor under the chosen top-level key is asked for (a published Lighthouse checkpoint's optimizer state, two
/// thirds of the file, is never read).
/// </summary>
public sealed class TorchCheckpoint
{
    private TorchCheckpoint(string path, IDictionary root)
    {
        Path = path;
        Root = root;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>The unpickled object (for Lighthouse: <c>model</c>, <c>opt</c>, <c>optimizer</c>, <c>lr_scheduler</c>, <c>epoch</c>).</summary>
    public IDictionary Root { get; }

    /// <summary>The state dict under <paramref name="key"/> (Lighthouse: <c>model</c>), its tensors read from the file.</summary>
    /// <exception cref="CheckpointException">There is no such key, or it is not a state dict.</exception>
    public IReadOnlyDictionary<string, CheckpointTensor> StateDict(string key = "model")
    {
        if (!Root.Contains(key) || Root[key] is not IDictionary entries)
            throw new CheckpointException(Path, $"it has no state dict '{key}' (keys: {string.Join(", ", Root.Keys.Cast<object>())})");
        var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        using var zip = ZipFile.OpenRead(Path);
        foreach (DictionaryEntry entry in entries)
        {
            if (entry.Value is not TensorReference tensor)
                throw new CheckpointException(Path, $"'{key}.{entry.Key}' is not a tensor");
            tensors[(string)entry.Key] = tensor.Read(zip, Path);
        }
        return tensors;
    }

    /// <summary>The options the model was trained with (Lighthouse / moment_detr: <c>opt</c>, an EasyDict), by name.</summary>
    /// <exception cref="CheckpointException">There is no such entry.</exception>
    public IReadOnlyDictionary<string, object?> Options(string key = "opt")
    {
        if (!Root.Contains(key) || Root[key] is not IDictionary options)
            throw new CheckpointException(Path, $"it has no options '{key}' (the training arguments)");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in options.Count == 0 && options is PickledDictionary { Attributes: var attributes } ? attributes : options)
        {
            if (entry.Key is string name && !name.StartsWith("__", StringComparison.Ordinal))
                result[name] = entry.Value;
        }
        return result;
    }

    /// <exception cref="CheckpointException">The file is missing, not a zip, truncated, or not a torch checkpoint.</exception>
    public static TorchCheckpoint Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new CheckpointException(path, "no such file");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
                ?? throw new CheckpointException(path, "it is a zip without <folder>/data.pkl: not a checkpoint written by torch.save");
            var folder = pickle.FullName[..^"data.pkl".Length];
            using var stream = pickle.Open();
            using var unpickler = new CheckpointUnpickler(folder);
            return unpickler.load(stream) is IDictionary root
                ? new TorchCheckpoint(path, root)
                : throw new CheckpointException(path, "its pickled object is not a dictionary");
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException(path, "it is not a complete zip archive (truncated or not a torch.save file)", e);
        }
        catch (PickleException e)
        {
            throw new CheckpointException(path, $"its pickle cannot be read: {e.Message}", e);
        }
    }

    /// <summary>The pickle reader with torch's globals: storages as persistent ids, tensors rebuilt lazily.</summary>
    private sealed class CheckpointUnpickler : Unpickler
    {
        private readonly string _folder;

        public CheckpointUnpickler(string folder)
        {
            _folder = folder;
            registerConstructor("torch._utils", "_rebuild_tensor_v2", new TensorConstructor());
            registerConstructor("collections", "OrderedDict", new DictionaryConstructor());
            registerConstructor("easydict", "EasyDict", new DictionaryConstructor());
            foreach (var type in StorageType.Names)
                registerConstructor("torch", type, new StorageType(type));
        }

        protected override object persistentLoad(object pid)
        {
            // ('storage', storage type, key, location, element count)
            if (pid is not object[] { Length: 5 } parts || parts[0] as string != "storage" || parts[1] is not StorageType type)
                throw new PickleException($"unsupported persistent id {pid}");
            return new StorageReference(type, _folder + "data/" + parts[2], Convert.ToInt64(parts[4], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Dictionary-like classes (OrderedDict, EasyDict): a <see cref="Hashtable"/>, which the pickle's SETITEMS fills.</summary>
    private sealed class DictionaryConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new PickledDictionary();
    }

    /// <summary>
    /// A Hashtable of the pickled items, with the object's attributes (its BUILD state: a state dict's <c>_metadata</c>,
    /// an EasyDict's <c>__dict__</c>) kept apart.
    /// </summary>
    private sealed class PickledDictionary : Hashtable
    {
        public Hashtable Attributes { get; } = [];

        // Called by name from the unpickler's BUILD opcode.
#pragma warning disable CA1707, IDE1006
        public void __setstate__(Hashtable state)
#pragma warning restore CA1707, IDE1006
        {
            foreach (DictionaryEntry entry in state)
                Attributes[entry.Key] = entry.Value;
        }
    }

    private sealed class TensorConstructor : IObjectConstructor
    {
        // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        public object construct(object[] args) => args.Length >= 4 && args[0] is StorageReference storage
            ? new TensorReference(storage, Convert.ToInt64(args[1], System.Globalization.CultureInfo.InvariantCulture), Dimensions(args[2]), Dimensions(args[3]))
            : throw new PickleException("a tensor without its storage");

        private static long[] Dimensions(object tuple) =>
            tuple is object[] values ? [.. values.Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture))] : throw new PickleException("a tensor shape that is not a tuple");
    }
}
