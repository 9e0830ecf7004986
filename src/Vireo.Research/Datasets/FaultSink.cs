using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Research.Datasets;

/// <summary>Applies a <see cref="FaultPolicy"/> to faulty records and collects the report.</summary>
internal sealed class FaultSink(string path, FaultPolicy policy)
{
    public List<DatasetFault> Faults { get; } = [];

    /// <summary>
    /// Checks a window: returns it (swapped if inverted and the policy is Swap), or null when the record must be
    /// skipped; throws under Fail.
    /// </summary>
    public TemporalWindow? Window(double start, double end, int line, string where)
    {
        if (!double.IsFinite(start) || !double.IsFinite(end))
            return Unrepairable(line, $"{where}window [{start}, {end}] is not finite");
        if (start <= end)
            return new TemporalWindow(start, end);
        var message = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{where}start {start} is after end {end}");
        switch (policy)
        {
            case FaultPolicy.Fail:
                throw new DatasetFormatException(path, line, message + " (fault policy: fail)");
            case FaultPolicy.Swap:
                Faults.Add(new DatasetFault(path, line, message, "swapped"));
                return new TemporalWindow(end, start);
            default:
                Faults.Add(new DatasetFault(path, line, message, "skipped"));
                return null;
        }
    }

    /// <summary>A fault that cannot be repaired: reported and skipped, or thrown under Fail.</summary>
    public TemporalWindow? Unrepairable(int line, string message)
    {
        if (policy == FaultPolicy.Fail)
            throw new DatasetFormatException(path, line, message + " (fault policy: fail)");
        Faults.Add(new DatasetFault(path, line, message, "skipped"));
        return null;
    }
}
