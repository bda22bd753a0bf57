using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RemoteOperations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "remote_operations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeviceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeviceSerial = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Setting = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Value = table.Column<double>(type: "REAL", nullable: true),
                    Address = table.Column<int>(type: "INTEGER", nullable: false),
                    Registers = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Dangerous = table.Column<bool>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReadBack = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_remote_operations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_remote_operations_devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_remote_operations_plants_PlantId",
                        column: x => x.PlantId,
                        principalTable: "plants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_remote_operations_users_DecidedBy",
                        column: x => x.DecidedBy,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_remote_operations_users_RequestedBy",
                        column: x => x.RequestedBy,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_remote_operations_DecidedBy",
                table: "remote_operations",
                column: "DecidedBy");

            migrationBuilder.CreateIndex(
                name: "IX_remote_operations_DeviceId_Id",
                table: "remote_operations",
                columns: new[] { "DeviceId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_remote_operations_DeviceId_RequestedAt",
                table: "remote_operations",
                columns: new[] { "DeviceId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_remote_operations_PlantId",
                table: "remote_operations",
                column: "PlantId");

            migrationBuilder.CreateIndex(
                name: "IX_remote_operations_RequestedBy",
                table: "remote_operations",
                column: "RequestedBy");

            migrationBuilder.CreateIndex(
                name: "IX_remote_operations_State_QueuedAt",
                table: "remote_operations",
                columns: new[] { "State", "QueuedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "remote_operations");
        }
    }
}
