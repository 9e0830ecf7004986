using System.Text;

namespace Vireo.Synthetic.Onnx;

/// <summary>
/// A small deterministic generator (SplitMix64) whose stream depends only on a seed and a name, so every
/// tensor's values are reproducible on any machine and independent of the order tensors are generated in.
/// </summary>
public struct SeededRandom
{
    private ulong _state;

    public SeededRandom(ulong seed, string name = "")
    {
        ArgumentNullException.ThrowIfNull(name);
        // FNV-1a over the name, mixed with the seed.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
            hash = (hash ^ b) * 1099511628211UL;
        _state = seed ^ hash;
        NextUInt64();
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 24 bits of precision.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [-sqrt(3)·std, sqrt(3)·std): zero mean, standard deviation <paramref name="std"/>.</summary>
    public float NextCentered(float std) => (2f * NextFloat() - 1f) * 1.7320508f * std;

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        var u2 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
