using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TelemetryStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "gateway_readings");

            // Raw readings (ADR 0013): keyed by (at, device) so a fleet's arrivals append to the B-tree instead of
            // landing all over it; the (device, at) index serves per-device ranges. WITHOUT ROWID: the key is the row.
            migrationBuilder.Sql("""
                CREATE TABLE readings (
                    device INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    state INTEGER NOT NULL,
                    raw_state INTEGER NOT NULL,
                    faults TEXT NULL,
                    active_power_w INTEGER,
                    grid_power_w INTEGER,
                    load_power_w INTEGER,
                    pv_power_w INTEGER,
                    pv1_voltage_v INTEGER,
                    pv1_current_a INTEGER,
                    pv1_power_w INTEGER,
                    pv2_voltage_v INTEGER,
                    pv2_current_a INTEGER,
                    pv2_power_w INTEGER,
                    l1_voltage_v INTEGER,
                    l1_current_a INTEGER,
                    l2_voltage_v INTEGER,
                    l2_current_a INTEGER,
                    l3_voltage_v INTEGER,
                    l3_current_a INTEGER,
                    grid_frequency_hz INTEGER,
                    energy_today_kwh INTEGER,
                    energy_total_kwh INTEGER,
                    grid_import_today_kwh INTEGER,
                    grid_import_total_kwh INTEGER,
                    grid_export_today_kwh INTEGER,
                    grid_export_total_kwh INTEGER,
                    ambient_temperature_c INTEGER,
                    radiator_temperature_c INTEGER,
                    module_temperature_c INTEGER,
                    inner_temperature_c INTEGER,
                    generation_time_today_min INTEGER,
                    insulation_resistance_kohm INTEGER,
                    bus_voltage_v INTEGER,
                    battery_voltage_v INTEGER,
                    battery_current_a INTEGER,
                    battery_power_w INTEGER,
                    battery_state_of_charge_percent INTEGER,
                    battery_state_of_health_percent INTEGER,
                    battery_cycles INTEGER,
                    export_limit_w INTEGER,
                    PRIMARY KEY (at, device)
                ) WITHOUT ROWID;
                """);
            migrationBuilder.Sql("CREATE UNIQUE INDEX IX_readings_device_at ON readings (device, at);");

            // Rollups are read by key ranges only: WITHOUT ROWID stores each row once, in key order.
            migrationBuilder.Sql("""
                CREATE TABLE device_rollups (
                    "Device" INTEGER NOT NULL,
                    "Level" INTEGER NOT NULL,
                    "Period" INTEGER NOT NULL,
                    "EnergyWh" INTEGER NOT NULL,
                    "PowerAvgW" INTEGER NOT NULL,
                    "PowerMaxW" INTEGER NOT NULL,
                    "Samples" INTEGER NOT NULL,
                    "PvAvgW" INTEGER NULL,
                    "LoadAvgW" INTEGER NULL,
                    "GridAvgW" INTEGER NULL,
                    "BatteryAvgW" INTEGER NULL,
                    "SocPermille" INTEGER NULL,
                    CONSTRAINT "PK_device_rollups" PRIMARY KEY ("Device", "Level", "Period")
                ) WITHOUT ROWID;
                """);
            migrationBuilder.Sql("""
                CREATE TABLE plant_rollups (
                    "PlantId" TEXT NOT NULL,
                    "Level" INTEGER NOT NULL,
                    "Period" INTEGER NOT NULL,
                    "EnergyWh" INTEGER NOT NULL,
                    "PowerAvgW" INTEGER NOT NULL,
                    "PowerMaxW" INTEGER NOT NULL,
                    "Samples" INTEGER NOT NULL,
                    "PvAvgW" INTEGER NULL,
                    "LoadAvgW" INTEGER NULL,
                    "GridAvgW" INTEGER NULL,
                    "BatteryAvgW" INTEGER NULL,
                    "SocPermille" INTEGER NULL,
                    CONSTRAINT "PK_plant_rollups" PRIMARY KEY ("PlantId", "Level", "Period"),
                    CONSTRAINT "FK_plant_rollups_plants_PlantId" FOREIGN KEY ("PlantId") REFERENCES plants ("Id") ON DELETE CASCADE
                ) WITHOUT ROWID;
                """);

            migrationBuilder.CreateTable(
                name: "rollup_dirty",
                columns: table => new
                {
                    Bucket = table.Column<long>(type: "INTEGER", nullable: false),
                    Token = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollup_dirty", x => x.Bucket);
                });

            migrationBuilder.CreateTable(
                name: "telemetry_devices",
                columns: table => new
                {
                    Number = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Serial = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    LoggerSerial = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_telemetry_devices", x => x.Number);
                });

            migrationBuilder.CreateIndex(
                name: "IX_telemetry_devices_LoggerSerial",
                table: "telemetry_devices",
                column: "LoggerSerial");

            migrationBuilder.CreateIndex(
                name: "IX_telemetry_devices_Serial",
                table: "telemetry_devices",
                column: "Serial",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE readings;");

            migrationBuilder.DropTable(
                name: "device_rollups");

            migrationBuilder.DropTable(
                name: "plant_rollups");

            migrationBuilder.DropTable(
                name: "rollup_dirty");

            migrationBuilder.DropTable(
                name: "telemetry_devices");

            migrationBuilder.CreateTable(
                name: "gateway_readings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Faults = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    InverterSerial = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    LoggerSerial = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Values = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_gateway_readings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_gateway_readings_InverterSerial_At",
                table: "gateway_readings",
                columns: new[] { "InverterSerial", "At" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_gateway_readings_LoggerSerial_At",
                table: "gateway_readings",
                columns: new[] { "LoggerSerial", "At" });
        }
    }
}
