using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenIddict.EntityFrameworkCore.Models;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// OpenIddict's own entities (HelioDbContext adds them with <c>UseOpenIddict&lt;Guid&gt;()</c> before the features'
/// configurations run), under names in the house style. Only applications (one per open API account, secret hashed
/// by OpenIddict) and tokens (one entry per issued access token, which is how a closed account's or a rotated
/// secret's tokens stop at once) are used; authorisations and scopes stay empty.
/// </summary>
internal sealed class OAuthTablesConfiguration :
    IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreApplication<Guid>>,
    IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreAuthorization<Guid>>,
    IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreScope<Guid>>,
    IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreToken<Guid>>
{
    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreApplication<Guid>> builder) => builder.ToTable("oauth_applications");

    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreAuthorization<Guid>> builder) => builder.ToTable("oauth_authorizations");

    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreScope<Guid>> builder) => builder.ToTable("oauth_scopes");

    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreToken<Guid>> builder) => builder.ToTable("oauth_tokens");
}
