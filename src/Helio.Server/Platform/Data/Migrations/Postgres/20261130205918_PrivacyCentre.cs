using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Postgres
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
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HomeRegion",
                table: "users",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "EffectiveAt",
                table: "policy_versions",
                type: "timestamp with time zone",
                nullable: true,
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone");

            migrationBuilder.AddColumn<string>(
                name: "BodyMarkdown",
                table: "policy_versions",
                type: "character varying(100000)",
                maxLength: 100000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CreatedAt",
                table: "policy_versions",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<Guid>(
                name: "CreatedBy",
                table: "policy_versions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Material",
                table: "policy_versions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PublishedAt",
                table: "policy_versions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PublishedBy",
                table: "policy_versions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Summary",
                table: "policy_versions",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "bigint", nullable: false),
                    Hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    Removed = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Signature = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_checkpoints", x => x.Seq);
                });

            migrationBuilder.CreateTable(
                name: "consent_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Purpose = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    PolicyVersion = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Given = table.Column<bool>(type: "boolean", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Method = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
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
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    GuardianEmailCipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    TokenHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    Threshold = table.Column<int>(type: "integer", nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    MailedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ConfirmedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Template = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Audience = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Text = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    Cursor = table.Column<Guid>(type: "uuid", nullable: true),
                    Queued = table.Column<int>(type: "integer", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Page = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Views = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_page_view_counts", x => new { x.Day, x.Page });
                });

            migrationBuilder.CreateTable(
                name: "policy_notice_dismissals",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DismissedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    DetailsCipher = table.Column<byte[]>(type: "bytea", nullable: true),
                    Decision = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExtendedMonths = table.Column<int>(type: "integer", nullable: false),
                    VerifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PossiblyExcessive = table.Column<bool>(type: "boolean", nullable: false),
                    CodeHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: true),
                    CodeExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CodeAttempts = table.Column<int>(type: "integer", nullable: false),
                    CodesSent = table.Column<int>(type: "integer", nullable: false),
                    FeeRecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RemindedForDueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_privacy_requests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "security_incidents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DiscoveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    DataCategories = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Affected = table.Column<string>(type: "character varying(45000)", maxLength: 45000, nullable: false),
                    ApproximateRecords = table.Column<long>(type: "bigint", nullable: true),
                    LikelyConsequences = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    MeasuresTaken = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Advice = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Contact = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    RecordedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AuthorityNotifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AuthorityReference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    DelayReason = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    UsersNotifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UsersNotified = table.Column<int>(type: "integer", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_security_incidents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "privacy_request_events",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    ActorId = table.Column<Guid>(type: "uuid", nullable: true),
                    NoteCipher = table.Column<byte[]>(type: "bytea", nullable: true),
                    Data = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
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
                    IncidentId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Mailed = table.Column<bool>(type: "boolean", nullable: false),
                    ReadAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "EffectiveAt",
                table: "policy_versions",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)),
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone",
                oldNullable: true);

            migrationBuilder.InsertData(
                table: "policy_versions",
                columns: new[] { "Version", "EffectiveAt", "Title" },
                values: new object[] { "1.0", new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), "Helio privacy policy" });
        }
    }
}
