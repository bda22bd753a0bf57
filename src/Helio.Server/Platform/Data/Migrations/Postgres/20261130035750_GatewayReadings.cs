using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LoggerSerial = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    InverterSerial = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Faults = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Values = table.Column<string>(type: "text", nullable: false)
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
