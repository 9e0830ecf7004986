using System.Globalization;

namespace Vireo.Research.Evaluation;

/// <summary>The rounding of the official Python scripts.</summary>
internal static class OfficialRounding
{
    /// <summary>
    /// Python's <c>float(f"{x:.2f}")</c>: the decimal with two places nearest to the exact binary value (.NET's "F2"
    /// formatting is exact since .NET Core 3.0, as Python's is).
    /// </summary>
    public static double Round2(double value) =>
        double.IsFinite(value) ? double.Parse(value.ToString("F2", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : value;

    /// <summary>Python's <c>str(float)</c> of a threshold such as 0.55 (the shortest round-trip form).</summary>
    public static string Key(double threshold)
    {
        var text = threshold.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }
}
