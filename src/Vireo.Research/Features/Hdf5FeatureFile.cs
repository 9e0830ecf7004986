using PureHDF;
using Vireo.Research.Datasets;

namespace Vireo.Research.Features;

/// <summary>
/// Clip features in HDF5, keyed by video id, as 2D-TAN and VSLNet releases store them: either a dataset per video at
/// the root (<c>/VIDEO_ID</c>, e.g. Charades VGG and TACoS C3D features) or a group per video holding the dataset
/// (<c>/VIDEO_ID/c3d_features</c>, ActivityNet C3D). Float16/32 datasets are read as float32, float64 ones as float64 (<see cref="FeatureArray"/>). Read through PureHDF
/// (managed, no native HDF5 library).
/// </summary>
public sealed class Hdf5FeatureFile : IDisposable
{
    private readonly PureHDF.VOL.Native.NativeFile _file;

    private Hdf5FeatureFile(string path, PureHDF.VOL.Native.NativeFile file)
    {
        Path = path;
        _file = file;
    }

    public string Path { get; }

    public static Hdf5FeatureFile Open(string path)
    {
        if (!File.Exists(path))
            throw new DatasetFormatException(path, 0, "the file does not exist");
        try
        {
            return new Hdf5FeatureFile(path, H5File.OpenRead(path));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DatasetFormatException(path, 0, "not a readable HDF5 file: " + e.Message, e);
        }
    }

    /// <summary>The video ids: the names of the root's children.</summary>
    public IReadOnlyList<string> VideoIds => [.. _file.Children().Select(c => c.Name)];

    /// <summary>
    /// The features of <paramref name="videoId"/>. For a group, <paramref name="datasetName"/> picks its dataset; without
    /// it the group must hold exactly one.
    /// </summary>
    public FeatureArray Read(string videoId, string? datasetName = null)
    {
        if (!_file.LinkExists(videoId))
            throw new DatasetFormatException(Path, 0, $"no video '{videoId}' in the file");
        var target = _file.Get(videoId);
        IH5Dataset dataset = target switch
        {
            IH5Dataset d => d,
            IH5Group g when datasetName is not null => g.LinkExists(datasetName) && g.Get(datasetName) is IH5Dataset d
                ? d
                : throw new DatasetFormatException(Path, 0, $"no dataset '{datasetName}' in group '{videoId}'"),
            IH5Group g => g.Children().OfType<IH5Dataset>().ToList() switch
            {
                [var only] => only,
                var many => throw new DatasetFormatException(Path, 0,
                    $"group '{videoId}' holds {many.Count} datasets ({string.Join(", ", many.Select(m => m.Name))}); name one"),
            },
            _ => throw new DatasetFormatException(Path, 0, $"'{videoId}' is neither a dataset nor a group"),
        };
        return ReadDataset(dataset, videoId);
    }

    private FeatureArray ReadDataset(IH5Dataset dataset, string videoId)
    {
        var dims = dataset.Space.Dimensions.Select(d => checked((int)d)).ToArray();
        if (dataset.Type.Class != H5DataTypeClass.FloatingPoint)
            throw new DatasetFormatException(Path, 0, $"'{videoId}' holds {dataset.Type.Class} data, not floating point");
        return dataset.Type.Size switch
        {
            2 => new FeatureArray([.. dataset.Read<Half[]>().Select(h => (float)h)], dims, "<f2"),
            4 => new FeatureArray(dataset.Read<float[]>(), dims, "<f4"),
            8 => new FeatureArray(dataset.Read<double[]>(), dims, "<f8"),
            var size => throw new DatasetFormatException(Path, 0, $"'{videoId}' holds {size}-byte floats"),
        };
    }

    /// <summary>Writes features per video as root datasets (the 2D-TAN / VSLNet layout).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, FeatureArray> videos)
    {
        ArgumentNullException.ThrowIfNull(videos);
        var file = new H5File();
        foreach (var (id, features) in videos)
            file[id] = features.IsDoublePrecision
                ? new H5Dataset(features.Doubles, fileDims: [.. features.Shape.Select(d => (ulong)d)])
                : new H5Dataset(features.Data, fileDims: [.. features.Shape.Select(d => (ulong)d)]);
        file.Write(path);
    }

    public void Dispose() => _file.Dispose();
}
