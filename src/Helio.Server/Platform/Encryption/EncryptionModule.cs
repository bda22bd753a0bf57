namespace Helio.Server.Platform.Encryption;

public static class EncryptionModule
{
    public static WebApplicationBuilder AddEncryption(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EncryptionOptions>().BindConfiguration(EncryptionOptions.Section);
        builder.Services.AddSingleton<KeyRing>();
        builder.Services.AddSingleton<DataKeyCache>();
        builder.Services.AddSingleton<BlindIndex>();
        builder.Services.AddScoped<PersonalDataProtector>();
        return builder;
    }
}
