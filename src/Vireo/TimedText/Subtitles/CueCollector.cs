using System.Globalization;

namespace Vireo.TimedText.Subtitles;

/// <summary>Gathers a parser's cues and issues: checks each cue and says where (<c>name:line</c>) anything was skipped.</summary>
internal sealed class CueCollector(string name)
{
    private const int QuotedLength = 60;
    private readonly List<SubtitleCue> _cues = [];
    private readonly List<TimedTextIssue> _issues = [];

    /// <summary>Adds a cue read at <paramref name="lineIndex"/> (0-based), or reports why it cannot be one.</summary>
    public void Add(int lineIndex, double start, double end, string text)
    {
        if (end < start)
            Report(lineIndex, string.Create(CultureInfo.InvariantCulture, $"the cue ends ({end:0.###} s) before it starts ({start:0.###} s)"));
        else if (text.Length == 0)
            Report(lineIndex, "the cue has no text");
        else
            _cues.Add(new SubtitleCue(start, end, text));
    }

    /// <summary>Reports a problem at <paramref name="lineIndex"/> (0-based; reported 1-based, as editors count).</summary>
    public void Report(int lineIndex, string problem) =>
        _issues.Add(new TimedTextIssue(string.Create(CultureInfo.InvariantCulture, $"{name}:{lineIndex + 1}"), problem));

    /// <summary>"bad timing line '…'" with the line quoted, shortened when long.</summary>
    public void ReportBadLine(int lineIndex, string what, string line) =>
        Report(lineIndex, $"{what}: '{(line.Length <= QuotedLength ? line : string.Concat(line.AsSpan(0, QuotedLength), "…"))}'");

    public SubtitleDocument ToDocument(SubtitleFormat format) => new(format, _cues, _issues);
}
