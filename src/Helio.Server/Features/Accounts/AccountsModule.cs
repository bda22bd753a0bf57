using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Helio.Server.Features.Accounts;

public static class AccountsModule
{
    /// <summary>The API accepts bearer tokens only: cookies would expose it to cross-site request forgery.</summary>
    public const string ApiPolicy = "api";
    public const string WebPolicy = "web";

    /// <summary>API callers with the support or admin platform role.</summary>
    public const string SupportPolicy = "support";

    /// <summary>API callers with the admin platform role.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>Web pages for the admin platform role (cookie).</summary>
    public const string AdminWebPolicy = "admin-web";

    /// <summary>API callers with the dpo platform role (the privacy officer).</summary>
    public const string PrivacyOfficerPolicy = "dpo";

    /// <summary>Web pages for the dpo platform role (cookie).</summary>
    public const string PrivacyOfficerWebPolicy = "dpo-web";
    public static readonly TimeSpan ResetTokenLifetime = TimeSpan.FromMinutes(60);

    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section);
        services.AddHttpContextAccessor();

        services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = false; // enforced by the unique blind index instead
                o.Password.RequiredLength = PasswordRules.MinLength;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Tokens.PasswordResetTokenProvider = PasswordResetTokenProvider.ProviderName;
            })
            .AddUserStore<UserStore>()
            .AddPasswordValidator<PasswordRules>()
            .AddTokenProvider<DataProtectorTokenProvider<User>>(TokenOptions.DefaultProvider)
            .AddTokenProvider<PasswordResetTokenProvider>(PasswordResetTokenProvider.ProviderName);
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromDays(2));
        services.Configure<PasswordResetTokenProviderOptions>(o =>
        {
            o.Name = PasswordResetTokenProvider.ProviderName;
            o.TokenLifespan = ResetTokenLifetime;
        });
        services.AddSingleton<ILookupNormalizer, AccountNormalizer>();

        var https = TlsOptions.From(builder.Configuration).ServesHttps;
        services.AddAuthentication(AuthSchemes.Cookie)
            .AddCookie(AuthSchemes.Cookie, o =>
            {
                // Behind TLS: Secure with the __Host- prefix. Plain HTTP is loopback-only in Production
                // (see Tls), where a Secure cookie would not come back from every browser.
                o.Cookie.Name = https ? "__Host-helio" : "helio";
                o.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/account/sign-in";
                o.LogoutPath = "/account/sign-out";
                o.AccessDeniedPath = "/account/sign-in";
                o.ExpireTimeSpan = Sessions.WebSessionLifetime;
                o.SlidingExpiration = false;
            })
            .AddBearerToken(AuthSchemes.Bearer, o => o.BearerTokenExpiration = Sessions.AccessTokenLifetime);
        services.AddScoped<IClaimsTransformation, SessionValidation>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, SessionEndedResultHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Bearer).RequireAuthenticatedUser())
            .AddPolicy(WebPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Cookie).RequireAuthenticatedUser())
            .AddPolicy(SupportPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Bearer).RequireAuthenticatedUser()
                .AddRequirements(new PlatformRoleRequirement(Roles.Support, Roles.Admin)))
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Bearer).RequireAuthenticatedUser()
                .AddRequirements(new PlatformRoleRequirement(Roles.Admin)))
            .AddPolicy(AdminWebPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Cookie).RequireAuthenticatedUser()
                .AddRequirements(new PlatformRoleRequirement(Roles.Admin)))
            .AddPolicy(PrivacyOfficerPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Bearer).RequireAuthenticatedUser()
                .AddRequirements(new PlatformRoleRequirement(Roles.PrivacyOfficer)))
            .AddPolicy(PrivacyOfficerWebPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Cookie).RequireAuthenticatedUser()
                .AddRequirements(new PlatformRoleRequirement(Roles.PrivacyOfficer)));
        services.AddScoped<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, PlatformRoleHandler>();

        services.AddScoped<Sessions>();
        services.AddScoped<CheckCredentials>();
        services.AddScoped<AccountLinks>();
        services.AddScoped<RegisterAccount>();
        services.AddScoped<ConfirmEmail>();
        services.AddScoped<ForgotPassword>();
        services.AddScoped<ResetPassword>();
        services.AddScoped<GetProfile>();
        services.AddScoped<UpdateProfile>();
        services.AddScoped<ChangePassword>();
        services.AddScoped<ChangeEmail>();
        services.AddScoped<ChangePhone>();
        services.AddScoped<TwoFactor>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        AccountEndpoints.Map(app);
        return app;
    }
}

/// <summary>Reset tokens get their own, short lifetime; confirmation links may wait for days.</summary>
internal sealed class PasswordResetTokenProvider(
    Microsoft.AspNetCore.DataProtection.IDataProtectionProvider dataProtection,
    Microsoft.Extensions.Options.IOptions<PasswordResetTokenProviderOptions> options,
    ILogger<DataProtectorTokenProvider<User>> logger)
    : DataProtectorTokenProvider<User>(dataProtection, options, logger)
{
    public const string ProviderName = "PasswordReset";
}

internal sealed class PasswordResetTokenProviderOptions : DataProtectionTokenProviderOptions;
