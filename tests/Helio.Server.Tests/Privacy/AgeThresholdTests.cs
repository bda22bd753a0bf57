using Helio.Server.Features.Privacy.Lifecycle;

namespace Helio.Server.Tests.Privacy;

/// <summary>The age of digital consent by country (docs/PRIVACY.md, GDPR Art. 8, PIPL), and who needs a guardian.</summary>
public sealed class AgeThresholdTests
{
    [Theory]
    [InlineData("AT", 14)]
    [InlineData("BE", 13)]
    [InlineData("CZ", 15)]
    [InlineData("DK", 13)]
    [InlineData("FI", 13)]
    [InlineData("FR", 15)]
    [InlineData("DE", 16)]
    [InlineData("IE", 16)]
    [InlineData("IT", 14)]
    [InlineData("NL", 16)]
    [InlineData("ES", 14)]
    [InlineData("SE", 13)]
    [InlineData("GB", 13)]
    [InlineData("UK", 13)]
    [InlineData("CN", 14)]
    [InlineData("cn", 14)]
    [InlineData("US", 16)]
    [InlineData("BR", 16)]
    [InlineData("", 16)]
    [InlineData(null, 16)]
    public void Threshold_IsTheCountrysRule_Or16(string? country, int age) => Assert.Equal(age, AgeThresholds.For(country));

    [Theory]
    [InlineData("2010-06-15", "2026-06-14", "DE", true)]   // 15 the day before turning 16
    [InlineData("2010-06-15", "2026-06-15", "DE", false)]  // 16 on the birthday
    [InlineData("2013-06-15", "2026-06-15", "SE", false)]  // 13 in Sweden is enough
    [InlineData("2013-06-16", "2026-06-15", "SE", true)]   // 12 is not
    [InlineData("2012-03-01", "2026-02-28", "AT", true)]   // 13 in Austria (14 needed)
    [InlineData("2008-02-29", "2024-02-28", "DE", true)]   // born on 29 February: 16 only from 29 February…
    [InlineData("2008-02-29", "2024-02-29", "DE", false)]
    [InlineData("2009-02-28", "2025-02-28", "NL", false)]
    [InlineData("2008-02-29", "2023-02-28", "FR", true)]   // …and in other years from 1 March
    [InlineData("2008-02-29", "2023-03-01", "FR", false)]
    [InlineData("1980-04-01", "2026-01-01", "ZZ", false)]
    public void NeedsGuardian_CountsCompletedYears(string birth, string today, string country, bool needsGuardian) =>
        Assert.Equal(needsGuardian, AgeThresholds.NeedsGuardian(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), country, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
}
