using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReadingsTimeIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The rollup worker finds a bucket's readings by time across all devices; the primary key leads with the
            // device. A BRIN index fits readings that arrive in time order: a few pages per partition, next to no
            // cost on the write path (SQLite needs none: its key leads with time).
            migrationBuilder.Sql("CREATE INDEX IX_readings_at ON readings USING brin (at);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IX_readings_at;");
        }
    }
}
