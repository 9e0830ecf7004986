namespace Vireo.Models.Store;

/// <summary>
/// Chooses which files of a repository make a usable model folder: the ONNX towers of the chosen variant
/// (a combined model only when a tower is missing), configuration and tokenizer files; never other
/// weight formats (safetensors, PyTorch, ARM NN, RKNN).
/// </summary>
internal static class HubFileSelection
{
    private static readonly string[] SideFileExtensions = [".json", ".txt", ".gz"];

    public static List<HubFile> Select(IReadOnlyList<HubFile> files, ModelVariant variant)
    {
        var suffix = variant.FileSuffix();
        bool Has(string path) => files.Any(f => f.Path == path);
        string? Tower(string name) => new[] { $"onnx/{name}{suffix}.onnx", $"{name}{suffix}.onnx" }.FirstOrDefault(Has);

        var wanted = new HashSet<string>(StringComparer.Ordinal);
        if (Has("textual/model.onnx") || Has("visual/model.onnx"))
        {
            wanted.Add("textual/model.onnx");
            wanted.Add("visual/model.onnx");
        }
        else
        {
            var text = Tower("text_model");
            var vision = Tower("vision_model");
            if (text is not null)
                wanted.Add(text);
            if (vision is not null)
                wanted.Add(vision);
            if ((text is null || vision is null) && Tower("model") is { } combined)
                wanted.Add(combined);
        }
        var selected = new List<HubFile>();
        foreach (var file in files)
        {
            var extension = System.IO.Path.GetExtension(file.Path);
            var isSideFile = SideFileExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase)
                && !file.Path.StartsWith("onnx/", StringComparison.Ordinal)
                && file.Size < 64 * 1024 * 1024;
            if (wanted.Contains(file.Path) || isSideFile)
                selected.Add(file);
        }
        return selected;
    }
}
