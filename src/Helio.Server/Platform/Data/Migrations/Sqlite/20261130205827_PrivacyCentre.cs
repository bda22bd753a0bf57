using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PrivacyCentre : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DeleteData(
                table: "policy_versions",
                keyColumn: "Version",
                keyValue: "1.0");

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

            migrationBuilder.AlterColumn<long>(
                name: "EffectiveAt",
                table: "policy_versions",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<string>(
                name: "BodyMarkdown",
                table: "policy_versions",
                type: "TEXT",
                maxLength: 100000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "CreatedAt",
                table: "policy_versions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<Guid>(
                name: "CreatedBy",
                table: "policy_versions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Material",
                table: "policy_versions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "PublishedAt",
                table: "policy_versions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PublishedBy",
                table: "policy_versions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Summary",
                table: "policy_versions",
                type: "TEXT",
                maxLength: 2000,
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
                name: "consent_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PolicyVersion = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Given = table.Column<bool>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_consent_records", x => x.Id);
                    table.ForeignKey(
                        name: "FK_consent_records_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
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
                name: "mailings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Template = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Audience = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    Cursor = table.Column<Guid>(type: "TEXT", nullable: true),
                    Queued = table.Column<int>(type: "INTEGER", nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mailings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mailings_users_CreatedBy",
                        column: x => x.CreatedBy,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "page_view_counts",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Page = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Views = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_page_view_counts", x => new { x.Day, x.Page });
                });

            migrationBuilder.CreateTable(
                name: "policy_notice_dismissals",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DismissedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_policy_notice_dismissals", x => new { x.UserId, x.Version });
                    table.ForeignKey(
                        name: "FK_policy_notice_dismissals_policy_versions_Version",
                        column: x => x.Version,
                        principalTable: "policy_versions",
                        principalColumn: "Version",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_policy_notice_dismissals_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "privacy_requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    DetailsCipher = table.Column<byte[]>(type: "BLOB", nullable: true),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExtendedMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    VerifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PossiblyExcessive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CodeHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: true),
                    CodeExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CodeAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CodesSent = table.Column<int>(type: "INTEGER", nullable: false),
                    FeeRecordedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RemindedForDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_privacy_requests", x => x.Id);
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
                name: "privacy_request_events",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<Guid>(type: "TEXT", nullable: true),
                    NoteCipher = table.Column<byte[]>(type: "BLOB", nullable: true),
                    Data = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_privacy_request_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_privacy_request_events_privacy_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "privacy_requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
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
                name: "IX_policy_versions_CreatedBy",
                table: "policy_versions",
                column: "CreatedBy");

            migrationBuilder.CreateIndex(
                name: "IX_policy_versions_EffectiveAt",
                table: "policy_versions",
                column: "EffectiveAt");

            migrationBuilder.CreateIndex(
                name: "IX_policy_versions_PublishedBy",
                table: "policy_versions",
                column: "PublishedBy");

            migrationBuilder.CreateIndex(
                name: "IX_consent_records_UserId_Purpose_Id",
                table: "consent_records",
                columns: new[] { "UserId", "Purpose", "Id" });

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
                name: "IX_mailings_CompletedAt_CreatedAt",
                table: "mailings",
                columns: new[] { "CompletedAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_mailings_CreatedBy",
                table: "mailings",
                column: "CreatedBy");

            migrationBuilder.CreateIndex(
                name: "IX_policy_notice_dismissals_Version",
                table: "policy_notice_dismissals",
                column: "Version");

            migrationBuilder.CreateIndex(
                name: "IX_privacy_request_events_RequestId_At",
                table: "privacy_request_events",
                columns: new[] { "RequestId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_privacy_requests_State_DueAt",
                table: "privacy_requests",
                columns: new[] { "State", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_privacy_requests_UserId_Kind_VerifiedAt",
                table: "privacy_requests",
                columns: new[] { "UserId", "Kind", "VerifiedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_security_incidents_DiscoveredAt",
                table: "security_incidents",
                column: "DiscoveredAt");

            migrationBuilder.AddForeignKey(
                name: "FK_policy_versions_users_CreatedBy",
                table: "policy_versions",
                column: "CreatedBy",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_policy_versions_users_PublishedBy",
                table: "policy_versions",
                column: "PublishedBy",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_policy_versions_users_CreatedBy",
                table: "policy_versions");

            migrationBuilder.DropForeignKey(
                name: "FK_policy_versions_users_PublishedBy",
                table: "policy_versions");

            migrationBuilder.DropTable(
                name: "audit_checkpoints");

            migrationBuilder.DropTable(
                name: "consent_records");

            migrationBuilder.DropTable(
                name: "guardian_consents");

            migrationBuilder.DropTable(
                name: "incident_notices");

            migrationBuilder.DropTable(
                name: "mailings");

            migrationBuilder.DropTable(
                name: "page_view_counts");

            migrationBuilder.DropTable(
                name: "policy_notice_dismissals");

            migrationBuilder.DropTable(
                name: "privacy_request_events");

            migrationBuilder.DropTable(
                name: "security_incidents");

            migrationBuilder.DropTable(
                name: "privacy_requests");

            migrationBuilder.DropIndex(
                name: "IX_policy_versions_CreatedBy",
                table: "policy_versions");

            migrationBuilder.DropIndex(
                name: "IX_policy_versions_EffectiveAt",
                table: "policy_versions");

            migrationBuilder.DropIndex(
                name: "IX_policy_versions_PublishedBy",
                table: "policy_versions");

            migrationBuilder.DropColumn(
                name: "DateOfBirthCipher",
                table: "users");

            migrationBuilder.DropColumn(
                name: "HomeRegion",
                table: "users");

            migrationBuilder.DropColumn(
                name: "BodyMarkdown",
                table: "policy_versions");

            migrationBuilder.DropColumn(
                name: "CreatedAt",
                table: "policy_versions");

            migrationBuilder.DropColumn(
                name: "CreatedBy",
                table: "policy_versions");

            migrationBuilder.DropColumn(
                name: "Material",
                table: "policy_versions");

            migrationBuilder.DropColumn(
                name: "PublishedAt",
                table: "policy_versions");

            migrationBuilder.DropColumn(
                name: "PublishedBy",
                table: "policy_versions");

            migrationBuilder.DropColumn(
                name: "Summary",
                table: "policy_versions");

            migrationBuilder.AlterColumn<long>(
                name: "EffectiveAt",
                table: "policy_versions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.InsertData(
                table: "policy_versions",
                columns: new[] { "Version", "EffectiveAt", "Title" },
                values: new object[] { "1.0", 639028224000000000L, "Helio privacy policy" });
        }
    }
}
