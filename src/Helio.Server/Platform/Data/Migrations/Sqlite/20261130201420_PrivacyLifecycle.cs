using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PrivacyLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "DateOfBirthCipher",
                table: "users",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HomeRegion",
                table: "users",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Removed = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Signature = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_checkpoints", x => x.Seq);
                });

            migrationBuilder.CreateTable(
                name: "guardian_consents",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GuardianEmailCipher = table.Column<byte[]>(type: "BLOB", nullable: false),
                    TokenHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Threshold = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    MailedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConfirmedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_guardian_consents", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_guardian_consents_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "security_incidents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DiscoveredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    DataCategories = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Affected = table.Column<string>(type: "TEXT", maxLength: 45000, nullable: false),
                    ApproximateRecords = table.Column<long>(type: "INTEGER", nullable: true),
                    LikelyConsequences = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    MeasuresTaken = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Advice = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Contact = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    RecordedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AuthorityNotifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AuthorityReference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DelayReason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    UsersNotifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UsersNotified = table.Column<int>(type: "INTEGER", nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_security_incidents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "incident_notices",
                columns: table => new
                {
                    IncidentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Mailed = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReadAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incident_notices", x => new { x.UserId, x.IncidentId });
                    table.ForeignKey(
                        name: "FK_incident_notices_security_incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "security_incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_incident_notices_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_guardian_consents_ConfirmedAt_ExpiresAt",
                table: "guardian_consents",
                columns: new[] { "ConfirmedAt", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_guardian_consents_TokenHash",
                table: "guardian_consents",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_incident_notices_IncidentId",
                table: "incident_notices",
                column: "IncidentId");

            migrationBuilder.CreateIndex(
                name: "IX_security_incidents_DiscoveredAt",
                table: "security_incidents",
                column: "DiscoveredAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_checkpoints");

            migrationBuilder.DropTable(
                name: "guardian_consents");

            migrationBuilder.DropTable(
                name: "incident_notices");

            migrationBuilder.DropTable(
                name: "security_incidents");

            migrationBuilder.DropColumn(
                name: "DateOfBirthCipher",
                table: "users");

            migrationBuilder.DropColumn(
                name: "HomeRegion",
                table: "users");
        }
    }
}
