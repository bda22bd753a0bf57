using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TelemetryStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "gateway_readings");

            // Raw readings (ADR 0013): partitioned by month of `at` (ReadingPartitions creates the partitions);
            // the key (device, at) serves per-device ranges within each partition.
            migrationBuilder.Sql("""
                CREATE TABLE readings (
                    device integer NOT NULL,
                    at bigint NOT NULL,
                    state smallint NOT NULL,
                    raw_state integer NOT NULL,
                    faults text NULL,
                    active_power_w integer,
                    grid_power_w integer,
                    load_power_w integer,
                    pv_power_w integer,
                    pv1_voltage_v integer,
                    pv1_current_a integer,
                    pv1_power_w integer,
                    pv2_voltage_v integer,
                    pv2_current_a integer,
                    pv2_power_w integer,
                    l1_voltage_v integer,
                    l1_current_a integer,
                    l2_voltage_v integer,
                    l2_current_a integer,
                    l3_voltage_v integer,
                    l3_current_a integer,
                    grid_frequency_hz integer,
                    energy_today_kwh integer,
                    energy_total_kwh bigint,
                    grid_import_today_kwh integer,
                    grid_import_total_kwh bigint,
                    grid_export_today_kwh integer,
                    grid_export_total_kwh bigint,
                    ambient_temperature_c integer,
                    radiator_temperature_c integer,
                    module_temperature_c integer,
                    inner_temperature_c integer,
                    generation_time_today_min integer,
                    insulation_resistance_kohm integer,
                    bus_voltage_v integer,
                    battery_voltage_v integer,
                    battery_current_a integer,
                    battery_power_w integer,
                    battery_state_of_charge_percent integer,
                    battery_state_of_health_percent integer,
                    battery_cycles integer,
                    export_limit_w integer,
                    PRIMARY KEY (device, at)
                ) PARTITION BY RANGE (at);
                """);

            migrationBuilder.CreateTable(
                name: "device_rollups",
                columns: table => new
                {
                    Level = table.Column<byte>(type: "smallint", nullable: false),
                    Period = table.Column<long>(type: "bigint", nullable: false),
                    Device = table.Column<int>(type: "integer", nullable: false),
                    EnergyWh = table.Column<long>(type: "bigint", nullable: false),
                    PowerAvgW = table.Column<int>(type: "integer", nullable: false),
                    PowerMaxW = table.Column<int>(type: "integer", nullable: false),
                    Samples = table.Column<int>(type: "integer", nullable: false),
                    PvAvgW = table.Column<int>(type: "integer", nullable: true),
                    LoadAvgW = table.Column<int>(type: "integer", nullable: true),
                    GridAvgW = table.Column<int>(type: "integer", nullable: true),
                    BatteryAvgW = table.Column<int>(type: "integer", nullable: true),
                    SocPermille = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_device_rollups", x => new { x.Device, x.Level, x.Period });
                });

            migrationBuilder.CreateTable(
                name: "plant_rollups",
                columns: table => new
                {
                    Level = table.Column<byte>(type: "smallint", nullable: false),
                    Period = table.Column<long>(type: "bigint", nullable: false),
                    PlantId = table.Column<Guid>(type: "uuid", nullable: false),
                    EnergyWh = table.Column<long>(type: "bigint", nullable: false),
                    PowerAvgW = table.Column<int>(type: "integer", nullable: false),
                    PowerMaxW = table.Column<int>(type: "integer", nullable: false),
                    Samples = table.Column<int>(type: "integer", nullable: false),
                    PvAvgW = table.Column<int>(type: "integer", nullable: true),
                    LoadAvgW = table.Column<int>(type: "integer", nullable: true),
                    GridAvgW = table.Column<int>(type: "integer", nullable: true),
                    BatteryAvgW = table.Column<int>(type: "integer", nullable: true),
                    SocPermille = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plant_rollups", x => new { x.PlantId, x.Level, x.Period });
                    table.ForeignKey(
                        name: "FK_plant_rollups_plants_PlantId",
                        column: x => x.PlantId,
                        principalTable: "plants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "rollup_dirty",
                columns: table => new
                {
                    Bucket = table.Column<long>(type: "bigint", nullable: false),
                    Token = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollup_dirty", x => x.Bucket);
                });

            migrationBuilder.CreateTable(
                name: "telemetry_devices",
                columns: table => new
                {
                    Number = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Serial = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    LoggerSerial = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Faults = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    InverterSerial = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    LoggerSerial = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Values = table.Column<string>(type: "text", nullable: false)
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
