using System.Text.Encodings.Web;
using System.Text.Json;
using Vireo.Answers;

namespace Vireo.Cli.Terminal;

/// <summary>How <c>--json</c> writes: Vireo's answer conventions (<see cref="AnswerJson"/>), indented, non-ASCII written as is.</summary>
public static class CliJson
{
    public static JsonSerializerOptions Options { get; } = AnswerJson.Configure(new JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static void Write<T>(TextWriter writer, T value)
    {
        writer.WriteLine(JsonSerializer.Serialize(value, Options));
    }
}
