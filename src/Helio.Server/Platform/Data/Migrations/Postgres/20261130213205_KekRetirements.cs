using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    KekId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DueSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
