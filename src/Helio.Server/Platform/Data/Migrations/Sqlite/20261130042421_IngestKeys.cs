using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IngestKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_gateway_readings_InverterSerial_At",
                table: "gateway_readings");

            migrationBuilder.AlterColumn<string>(
                name: "LoggerSerial",
                table: "gateway_readings",
                type: "TEXT",
                maxLength: 10,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 10);

            migrationBuilder.CreateTable(
                name: "ingest_keys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RotatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ingest_keys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ingest_keys_plants_PlantId",
                        column: x => x.PlantId,
                        principalTable: "plants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_gateway_readings_InverterSerial_At",
                table: "gateway_readings",
                columns: new[] { "InverterSerial", "At" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ingest_keys_Hash",
                table: "ingest_keys",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ingest_keys_PlantId",
                table: "ingest_keys",
                column: "PlantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ingest_keys");

            migrationBuilder.DropIndex(
                name: "IX_gateway_readings_InverterSerial_At",
                table: "gateway_readings");

            migrationBuilder.AlterColumn<string>(
                name: "LoggerSerial",
                table: "gateway_readings",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 10,
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_gateway_readings_InverterSerial_At",
                table: "gateway_readings",
                columns: new[] { "InverterSerial", "At" });
        }
    }
}
