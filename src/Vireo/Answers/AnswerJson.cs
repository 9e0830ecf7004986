using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Vireo.Answers;

/// <summary>
/// The JSON conventions of every answer, shared by <c>--json</c> and the HTTP API: snake_case keys (as the field's own
/// files: <c>pred_relevant_windows</c>, <c>pred_saliency_scores</c>), nulls left out, enums as snake_case strings,
/// NaN and infinities written by name. Answers and requests are serialized through the source-generated
/// <see cref="AnswerJsonContext"/>; other types fall back to reflection.
/// </summary>
public static class AnswerJson
{
    /// <summary>Applies the conventions to <paramref name="options"/> (a host's own, which may add indentation or an encoder).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.TypeInfoResolverChain.Insert(0, AnswerJsonContext.Default);
        if (options.TypeInfoResolverChain.Count == 1)
            options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        return options;
    }
}

/// <summary>Source-generated serialization of Vireo's answers and requests.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(SearchAnswer))]
[JsonSerializable(typeof(GroundAnswer))]
[JsonSerializable(typeof(FindClipAnswer))]
[JsonSerializable(typeof(LibraryStatus))]
[JsonSerializable(typeof(VideoPage))]
[JsonSerializable(typeof(IndexingView))]
[JsonSerializable(typeof(TranscriptAnswer))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(GroundRequest))]
[JsonSerializable(typeof(FindClipRequest))]
public sealed partial class AnswerJsonContext : JsonSerializerContext;
