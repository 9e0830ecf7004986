using Microsoft.Extensions.AI;

namespace Vireo.Models;

/// <summary>
/// The text encoder as a <c>Microsoft.Extensions.AI</c> embedding generator, so Vireo's CLIP text embeddings
/// drop into .NET AI applications (vector stores, retrieval pipelines).
/// </summary>
public sealed class TextEmbeddingGenerator(EmbeddingModel model, bool ownsModel = false) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("vireo-onnx", null, model.Identity.Name, model.Identity.Dimension);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } dimensions && dimensions != model.Dimension)
            throw new NotSupportedException($"this model makes {model.Dimension}-d embeddings; {dimensions} were asked for");
        var texts = values as IReadOnlyList<string> ?? values.ToList();
        return Task.Run(() =>
        {
            var matrix = model.Text.Encode(texts, cancellationToken);
            var result = new GeneratedEmbeddings<Embedding<float>>(matrix.Count);
            for (var i = 0; i < matrix.Count; i++)
                result.Add(new Embedding<float>(matrix.Row(i)) { ModelId = model.Identity.Name, CreatedAt = DateTimeOffset.UtcNow });
            return result;
        }, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata))
            return _metadata;
        return serviceType.IsInstanceOfType(this) ? this : serviceType.IsInstanceOfType(model) ? model : null;
    }

    public void Dispose()
    {
        if (ownsModel)
            model.Dispose();
    }
}
