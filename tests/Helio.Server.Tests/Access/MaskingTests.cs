using Helio.Server.Features.Access;

namespace Helio.Server.Tests.Access;

/// <summary>What staff see of a person's contact details: first letters only, whole letters in any script.</summary>
public sealed class MaskingTests
{
    [Theory]
    [InlineData("Jane Doe", "J*** D**")]
    [InlineData("  Jane   Doe  ", "J*** D**")]
    [InlineData("Li", "L*")]
    [InlineData("X", "X*")]
    [InlineData("Jo X", "J* X*")]
    [InlineData("Anne-Marie Smith", "A***-M**** S****")]
    [InlineData("José María", "J*** M****")]
    [InlineData("Jose\u0301", "J***")] // e + combining acute: one letter, never split
    [InlineData("Åsa Ødegård", "Å** Ø******")]
    [InlineData("王小明", "王**")]
    [InlineData("Ольга Петрова", "О**** П******")]
    [InlineData("𝒜lice", "𝒜****")] // a letter outside the BMP (a surrogate pair) stays whole
    [InlineData("", "")]
    public void Name_KeepsTheFirstLetterOfEachWord(string name, string masked) => Assert.Equal(masked, Masking.Name(name));

    [Theory]
    [InlineData("jane.doe@example.com", "j***@e***.com")]
    [InlineData("j@e.com", "j***@e***.com")]
    [InlineData("jane@mail.example.co.uk", "j***@m***.uk")]
    [InlineData("Jane.Doe@Example.ORG", "J***@E***.ORG")]
    [InlineData("élodie@exämple.fr", "é***@e***.fr")]
    [InlineData("root@localhost", "r***@l***")]
    public void Email_KeepsTwoFirstLetters_AndTheTopLevelDomain(string email, string masked) => Assert.Equal(masked, Masking.Email(email));

    [Theory]
    [InlineData("+4915112345123", "*** *** *123")]
    [InlineData("+86 138 0013 8000", "*** *** *000")]
    [InlineData("12", "*** *** ****")]
    public void Phone_KeepsOnlyItsLastThreeDigits(string phone, string masked) => Assert.Equal(masked, Masking.Phone(phone));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void NoPhone_StaysNoPhone(string? phone) => Assert.Null(Masking.Phone(phone));

    [Fact]
    public void MaskedValues_HideEveryLetterButTheFirsts_WhateverTheLength()
    {
        var email = Masking.Email("a.very.long.local.part@some-company.example.com");
        Assert.Equal("a***@s***.com", email);
        // Same shape for any phone: neither its country nor its length shows.
        Assert.Equal(Masking.Phone("+1 555 0100 999")!.Length, Masking.Phone("+4915112345999")!.Length);
    }
}
