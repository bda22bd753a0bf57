using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PrivacyFulfilment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "account_cancellations",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    CancelledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_account_cancellations", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_account_cancellations_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "account_deletions",
                columns: table => new
                {
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    QueuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NoticesSentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_account_deletions", x => x.RequestId);
                    table.ForeignKey(
                        name: "FK_account_deletions_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "kek_retirements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    KekId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DueSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_kek_retirements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "privacy_exports",
                columns: table => new
                {
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    QueuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    SectionsDone = table.Column<int>(type: "integer", nullable: false),
                    SectionsTotal = table.Column<int>(type: "integer", nullable: false),
                    RowsWritten = table.Column<long>(type: "bigint", nullable: false),
                    FileName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Downloads = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_privacy_exports", x => x.RequestId);
                    table.ForeignKey(
                        name: "FK_privacy_exports_privacy_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "privacy_requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_account_cancellations_CancelledAt",
                table: "account_cancellations",
                column: "CancelledAt");

            migrationBuilder.CreateIndex(
                name: "IX_account_deletions_QueuedAt",
                table: "account_deletions",
                column: "QueuedAt");

            migrationBuilder.CreateIndex(
                name: "IX_account_deletions_UserId",
                table: "account_deletions",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_kek_retirements_KekId",
                table: "kek_retirements",
                column: "KekId");

            migrationBuilder.CreateIndex(
                name: "IX_privacy_exports_State_QueuedAt",
                table: "privacy_exports",
                columns: new[] { "State", "QueuedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_cancellations");

            migrationBuilder.DropTable(
                name: "account_deletions");

            migrationBuilder.DropTable(
                name: "kek_retirements");

            migrationBuilder.DropTable(
                name: "privacy_exports");
        }
    }
}
