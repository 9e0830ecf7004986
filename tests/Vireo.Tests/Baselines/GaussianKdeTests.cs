using Vireo.Research.Baselines;

namespace Vireo.Tests.Baselines;

public class GaussianKdeTests
{
    // Four points; reference values from scipy.stats.gaussian_kde (Scott's rule) on the same data.
    private static readonly GaussianKde2D Small = new([0, 1, 0, 0.5], [0, 0, 1, 0.2]);

    [Fact]
    public void Scott_bandwidth_and_covariance_as_scipy()
    {
        Assert.Equal(0.7937005259840997, Small.Factor, 12);
        Assert.Equal(0.1443659536337875, Small.Covariance.XX, 12);
        Assert.Equal(-0.07349539457720092, Small.Covariance.XY, 12);
        Assert.Equal(0.14279105232141892, Small.Covariance.YY, 12);
    }

    [Theory]
    [InlineData(0, 0, 0.37927125223514063)]
    [InlineData(0.3, 0.4, 0.4737247625391554)]
    [InlineData(2, -1, 0.003274594062995481)]
    public void Density_as_scipy(double x, double y, double expected)
    {
        Assert.Equal(expected, Small.DensityExact(x, y), 12);
        Assert.Equal(expected, Small.Density(x, y), 5);
    }

    [Fact]
    public void Tabulated_density_matches_the_exact_sum()
    {
        var random = new Random(7);
        var xs = Enumerable.Range(0, 2000).Select(_ => random.NextDouble()).ToArray();
        var ys = xs.Select(x => Math.Max(0, 1 - x - 0.3 * random.NextDouble())).ToArray();
        var kde = new GaussianKde2D(xs, ys);

        foreach (var (x, y) in kde.Resample(300, new Random(1)))
        {
            var exact = kde.DensityExact(x, y);
            Assert.True(Math.Abs(kde.Density(x, y) - exact) <= 1e-5 * Math.Max(exact, 1e-3), $"({x}, {y}): {kde.Density(x, y)} vs {exact}");
        }
    }

    [Fact]
    public void Resampling_keeps_the_mean_and_widens_the_covariance_by_the_kernel()
    {
        var samples = Small.Resample(200_000, new Random(3));
        var mx = samples.Average(s => s.X);
        var my = samples.Average(s => s.Y);
        var cxy = samples.Average(s => (s.X - mx) * (s.Y - my));

        Assert.Equal(0.375, mx, 2);
        Assert.Equal(0.3, my, 2);
        // population covariance of the data (n) plus the kernel's: −0.0875 + (−0.0735)
        Assert.Equal(-0.0875 - 0.07349539457720092, cxy, 2);
    }

    [Fact]
    public void Degenerate_data_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new GaussianKde2D([1, 1, 1], [0, 1, 2]));
    }
}
