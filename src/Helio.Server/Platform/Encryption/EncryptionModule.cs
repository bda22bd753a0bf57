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
        builder.Services.AddScoped<ManagedBackups>();
        builder.Services.AddSingleton<KeyRotation>();
        builder.Services.AddHostedService(services => services.GetRequiredService<KeyRotation>());
        builder.Services.AddHealthChecks().AddCheck<KeyRotationDue>("key-rotation", tags: ["ready"]);
        return builder;
    }
}
