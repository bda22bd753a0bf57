using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PlantListOrderIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_plants_OwnerId_Name",
                table: "plants");

            migrationBuilder.CreateIndex(
                name: "IX_plants_OwnerId_Name_Id",
                table: "plants",
                columns: new[] { "OwnerId", "Name", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_plants_OwnerId_Name_Id",
                table: "plants");

            migrationBuilder.CreateIndex(
                name: "IX_plants_OwnerId_Name",
                table: "plants",
                columns: new[] { "OwnerId", "Name" });
        }
    }
}
