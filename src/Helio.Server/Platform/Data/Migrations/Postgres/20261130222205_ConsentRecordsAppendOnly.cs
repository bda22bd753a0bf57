using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helio.Server.Platform.Data.Migrations.Postgres
{
    /// <summary>Hand-written (ADR 0022): the service consent of accounts from before consent records, and the triggers
    /// that keep consent records append-only. Apart from PrivacyCentre, so that SQLite's rebuild of policy_versions
    /// there is done before this SQL runs. Keep it when migrations are regenerated.</summary>
    public partial class ConsentRecordsAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Accounts from before consent records: their registration accepted a policy version, recorded as given then.
            migrationBuilder.Sql("""
                INSERT INTO consent_records ("UserId", "Purpose", "PolicyVersion", "Given", "At", "Method")
                SELECT "Id", 'service', "AcceptedPolicyVersion", TRUE, "CreatedAt", 'registration' FROM users;
                """);

            // Consent records are appended, never changed (ADR 0022); they go only with their user (ON DELETE CASCADE,
            // whose delete runs after the user's row is gone). Keep these when migrations are regenerated.
            migrationBuilder.Sql("""
                CREATE FUNCTION consent_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'DELETE' THEN
                        RAISE EXCEPTION 'consent records are append-only';
                    END IF;
                    IF EXISTS (SELECT 1 FROM users WHERE "Id" = OLD."UserId") THEN
                        RAISE EXCEPTION 'consent records are removed only with their user';
                    END IF;
                    RETURN OLD;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records
                FOR EACH ROW EXECUTE FUNCTION consent_records_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER consent_records_no_delete BEFORE DELETE ON consent_records
                FOR EACH ROW EXECUTE FUNCTION consent_records_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER consent_records_no_truncate BEFORE TRUNCATE ON consent_records
                FOR EACH STATEMENT EXECUTE FUNCTION consent_records_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS consent_records_no_update ON consent_records;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS consent_records_no_delete ON consent_records;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS consent_records_no_truncate ON consent_records;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS consent_records_append_only();");
        }
    }
}
