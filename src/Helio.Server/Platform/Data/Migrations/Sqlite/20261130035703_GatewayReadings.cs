using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GatewayReadings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "gateway_readings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LoggerSerial = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    InverterSerial = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Faults = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Values = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_gateway_readings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_gateway_readings_InverterSerial_At",
                table: "gateway_readings",
                columns: new[] { "InverterSerial", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_gateway_readings_LoggerSerial_At",
                table: "gateway_readings",
                columns: new[] { "LoggerSerial", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "gateway_readings");
        }
    }
}
