using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Vireo.Cli.Terminal;

/// <summary>
/// Range checks on option values that run only on values that parsed. System.CommandLine runs validators before it
/// converts the tokens, and reading a value that does not convert throws; a token that does not convert is left to
/// the parser, which reports it as a usage error of its own.
/// </summary>
internal static class OptionChecks
{
    /// <summary>Adds a check of the option's value: <paramref name="message"/> is the usage error when <paramref name="isValid"/> says no.</summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T, bool> isValid, string message)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(r =>
        {
            if (TryGetParsed(r, option, out var value) && !isValid(value))
                r.AddError(message);
        });
        return option;
    }

    /// <summary>
    /// The option's value — the one given, else its default (or <c>default(T)</c>: null for a nullable option) — unless
    /// a value was given that does not convert (then false: the parser reports that one).
    /// </summary>
    public static bool TryGetParsed<T>(this SymbolResult result, Option<T> option, out T value)
    {
        ArgumentNullException.ThrowIfNull(result);
        value = default!;
        if (result.GetResult(option) is { } given && (given.Errors.Any() || !given.Tokens.All(t => Converts<T>(t.Value))))
            return false;
        value = result.GetValue(option)!;
        return true;
    }

    /// <summary>A finite number (not NaN or infinite) above zero.</summary>
    public static bool Positive(double value) => double.IsFinite(value) && value > 0;

    /// <summary>Whether System.CommandLine's converter accepts <paramref name="token"/> as a <typeparamref name="T"/> (its rules: the current culture).</summary>
    private static bool Converts<T>(string token)
    {
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        var culture = CultureInfo.CurrentCulture;
        return type switch
        {
            _ when type == typeof(int) => int.TryParse(token, culture, out _),
            _ when type == typeof(long) => long.TryParse(token, culture, out _),
            _ when type == typeof(double) => double.TryParse(token, culture, out _),
            _ when type == typeof(float) => float.TryParse(token, culture, out _),
            _ when type == typeof(decimal) => decimal.TryParse(token, culture, out _),
            _ when type == typeof(bool) => bool.TryParse(token, out _),
            _ when type.IsEnum => Enum.TryParse(type, token, ignoreCase: true, out _),
            _ => type == typeof(string) || type == typeof(string[]),
        };
    }
}
