namespace Vireo.TimedText.Ocr;

/// <summary>One word Tesseract recognised: its line (block, paragraph, line numbers), box in pixels and confidence 0..100.</summary>
internal readonly record struct OcrWord(int Block, int Paragraph, int Line, int Left, int Top, int Width, int Height, double Confidence, string Text);
