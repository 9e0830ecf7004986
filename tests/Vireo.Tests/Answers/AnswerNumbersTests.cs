using System.Text.Json;
using Vireo.Answers;

namespace Vireo.Tests.Answers;

public class AnswerNumbersTests
{
    [Fact]
    public void Numbers_are_rounded_to_four_decimals_and_never_written_as_minus_zero()
    {
        Assert.Equal("0", JsonSerializer.Serialize(AnswerNumbers.Round(-0.00001)));
        Assert.Equal("-0.0123", JsonSerializer.Serialize(AnswerNumbers.Round(-0.012345)));
        Assert.Equal("[0,0.5]", JsonSerializer.Serialize(AnswerNumbers.Saliency([-1.55e-6f, 0.5f])));
    }
}
