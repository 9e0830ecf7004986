using Vireo.Media;
using Vireo.TimedText;
using Vireo.TimedText.Ocr;

namespace Vireo.Tests.TimedText;

/// <summary>The OCR channel's parts without Tesseract: TSV parsing, lines, spans, the text layer and change detection.</summary>
public class OcrUnitTests
{
    private const string Tsv =
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
        "1\t1\t0\t0\t0\t0\t0\t0\t640\t360\t-1\t\n" +
        "4\t1\t2\t1\t1\t0\t62\t130\t141\t25\t-1\t\n" +
        "5\t1\t2\t1\t1\t2\t120\t136\t13\t19\t88.6\tg\n" +
        "5\t1\t2\t1\t1\t1\t62\t131\t47\t19\t88.6\t500\n" +
        "5\t1\t2\t1\t1\t3\t144\t130\t59\t20\t96.6\tflour\n" +
        "5\t1\t1\t1\t1\t1\t43\t40\t242\t37\t96.1\tIngredients\n" +
        "5\t1\t3\t1\t1\t1\t86\t182\t13\t19\t54.2\t9\n" +
        "5\t1\t3\t1\t1\t2\t111\t176\t41\t25\t95.5\tyeast\n" +
        "5\t1\t4\t1\t1\t1\t10\t300\t20\t20\t91\t \n" +
        "5\tbroken row\n";

    [Fact]
    public void Tsv_word_rows_with_text_are_read()
    {
        var words = TesseractTsv.ParseWords(Tsv);

        Assert.Equal(["g", "500", "flour", "Ingredients", "9", "yeast"], words.Select(w => w.Text));
        Assert.Equal(new OcrWord(2, 1, 1, 62, 131, 47, 19, 88.6, "500"), words[1]);
    }

    [Fact]
    public void Words_below_the_confidence_threshold_are_dropped_and_the_rest_joined_into_lines_top_to_bottom()
    {
        var text = RecognizedText.FromWords(TesseractTsv.ParseWords(Tsv), minConfidence: 60);

        Assert.Equal("Ingredients\n500 g flour\nyeast", text.Text);
        Assert.Equal(5, text.WordCount);
        Assert.Equal((88.6 + 88.6 + 96.6 + 96.1 + 95.5) / 5 / 100, text.Confidence, 6);
        Assert.True(RecognizedText.FromWords(TesseractTsv.ParseWords(Tsv), minConfidence: 99).IsEmpty);
    }

    [Fact]
    public void Identical_text_extends_a_span_changed_text_closes_it_and_no_text_makes_none()
    {
        var spans = new OcrSpanBuilder(sampleInterval: 1, language: null);

        spans.Read(0, Text("Hello, world", 0.9));
        spans.Unchanged(1);
        spans.Read(2, Text("hello   WORLD!", 0.7)); // the picture moved, the text is the same
        spans.Read(3, Text("Next slide", 0.8));
        spans.Read(5, RecognizedText.None);
        spans.Read(6, Text("Last", 0.5));
        spans.Unchanged(7);
        spans.Finish(duration: 7.5);

        Assert.Equal(
            [
                new TimedTextEntry(TextChannel.Ocr, null, 0, 3, "Hello, world", 0.8, "tesseract"),
                new TimedTextEntry(TextChannel.Ocr, null, 3, 4, "Next slide", 0.8, "tesseract"),
                new TimedTextEntry(TextChannel.Ocr, null, 6, 7.5, "Last", 0.5, "tesseract"),
            ],
            spans.Entries.Select(e => e with { Confidence = Math.Round(e.Confidence, 6) }));
    }

    [Fact]
    public void Readings_of_one_caption_that_differ_by_ocr_noise_make_one_span_with_the_most_confident_reading()
    {
        var spans = new OcrSpanBuilder(sampleInterval: 1, language: null);

        // A caption over moving footage, read with a letter or a word wrong from frame to frame.
        spans.Read(0, Text("Breaking news: storm hits the coast", 0.7));
        spans.Read(1, Text("Breaking news: storrn hits the coast", 0.6));
        spans.Read(2, Text("Breaking news: storm hits the coast", 0.9));
        spans.Read(3, Text("Breakinq news storm hits the coast", 0.5));
        spans.Read(4, Text("Breaking news: storm hits", 0.8)); // a third of the caption lost: another text
        spans.Read(5, Text("Crews repair the power lines", 0.9));
        spans.Read(6, Text("Crews repair the tower lines", 0.9)); // one letter: the same caption misread
        spans.Finish(duration: 7);

        Assert.Equal(
            [
                ("Breaking news: storm hits the coast", 0.0, 4.0, 0.675),
                ("Breaking news: storm hits", 4.0, 5.0, 0.8),
                ("Crews repair the power lines", 5.0, 7.0, 0.9),
            ],
            spans.Entries.Select(e => (e.Text, e.Start, e.End, Math.Round(e.Confidence, 6))));
    }

    [Theory]
    [InlineData("the kitchen", "the kitchen", true)]
    [InlineData("chapter 3 the engine", "chapter 3 the engme", true)]
    [InlineData("chapter 3 the engine", "chapter 4 the bridge", false)]
    [InlineData("caption number 12 says something new", "caption number 13 says something new", false)] // digits must agree
    [InlineData("slide 3 of 10", "slide 3 of 1O", false)]
    [InlineData("open", "oven", false)] // short texts: one letter is more than a fifth
    [InlineData("", "anything", false)]
    public void Two_readings_are_one_text_within_a_fifth_of_their_characters(string a, string b, bool same) =>
        Assert.Equal(same, OcrSpanBuilder.SameText(OcrSpanBuilder.Normalise(a), OcrSpanBuilder.Normalise(b)));

    [Fact]
    public void The_brightest_layer_becomes_black_ink_and_a_flat_frame_has_none()
    {
        // White text pixel, yellow text pixel, grey background, dark picture.
        using var frame = VideoFrame.FromRgb([255, 255, 255, 255, 255, 0, 128, 128, 128, 20, 30, 40], 4, 1);
        using var flat = VideoFrame.FromRgb([100, 100, 100, 110, 110, 110], 2, 1);

        Assert.Equal([0, 0, 255, 255], TextLayer.Extract(frame)!.Pixels);
        Assert.Null(TextLayer.Extract(flat));
    }

    [Fact]
    public void A_change_in_one_cell_is_a_change_and_noise_is_not()
    {
        const int width = 64, height = 32;
        var pixels = Enumerable.Repeat((byte)60, width * height * 3).ToArray();
        using var first = VideoFrame.FromRgb(pixels, width, height);
        var noisy = pixels.Select((p, i) => (byte)(p + i % 5)).ToArray();
        using var noise = VideoFrame.FromRgb(noisy, width, height);
        var caption = (byte[])pixels.Clone();
        for (var y = 20; y < 26; y++)
            caption.AsSpan((y * width + 40) * 3, 8 * 3).Fill(255);
        using var captioned = VideoFrame.FromRgb(caption, width, height);
        var detector = new FrameChangeDetector(threshold: 12);

        Assert.True(detector.HasChanged(first, out var cells));
        detector.Accept(first, cells);

        Assert.False(detector.HasChanged(noise, out _));
        Assert.True(detector.HasChanged(captioned, out _));
    }

    private static RecognizedText Text(string text, double confidence) => new(text, confidence, text.Split(' ').Length);
}
