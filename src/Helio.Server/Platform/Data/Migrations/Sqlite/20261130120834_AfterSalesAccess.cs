using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AfterSalesAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "contact_unmaskings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccessRequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Field = table.Column<int>(type: "INTEGER", nullable: false),
                    ReasonCipher = table.Column<byte[]>(type: "BLOB", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contact_unmaskings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_contact_unmaskings_access_requests_AccessRequestId",
                        column: x => x.AccessRequestId,
                        principalTable: "access_requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_contact_unmaskings_AccessRequestId_At",
                table: "contact_unmaskings",
                columns: new[] { "AccessRequestId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_contact_unmaskings_PlantId",
                table: "contact_unmaskings",
                column: "PlantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contact_unmaskings");
        }
    }
}
