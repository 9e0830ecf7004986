using System.Globalization;
using System.Text.Json;

namespace Vireo.Bench;

/// <summary>One benchmark suite: a name, a description and a run that records figures.</summary>
internal interface IBenchSuite
{
    string Name { get; }

    string Description { get; }

    Task RunAsync(string[] args, BenchReport report);
}

/// <summary>Figures of one run, printed as they come and saved to bench-results/&lt;suite&gt;.json.</summary>
internal sealed class BenchReport(string suite)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly List<Figure> _figures = [];
    private readonly Dictionary<string, string> _context = new()
    {
        ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
        ["runtime"] = Environment.Version.ToString(),
        ["date_utc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
    };

    public void Context(string key, string value)
    {
        _context[key] = value;
        Console.WriteLine($"# {key}: {value}");
    }

    public void Add(string name, double value, string unit, string? note = null)
    {
        _figures.Add(new Figure(name, value, unit, note));
        var text = value.ToString(Math.Abs(value) >= 100 ? "0.0" : "0.000", CultureInfo.InvariantCulture);
        Console.WriteLine($"{name,-58} {text,12} {unit,-10} {note}");
    }

    public void Save()
    {
        var folder = Path.Combine(Environment.CurrentDirectory, "bench-results");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, suite + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { suite, context = _context, figures = _figures }, Indented));
        Console.WriteLine($"# saved {path}");
    }

    private sealed record Figure(string Name, double Value, string Unit, string? Note);
}
