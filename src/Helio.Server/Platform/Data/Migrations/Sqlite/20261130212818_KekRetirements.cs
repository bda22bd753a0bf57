using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KekRetirements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "kek_retirements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    KekId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DueSince = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_kek_retirements", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_kek_retirements_KekId",
                table: "kek_retirements",
                column: "KekId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "kek_retirements");
        }
    }
}
