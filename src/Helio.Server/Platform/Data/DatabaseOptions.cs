namespace Helio.Server.Platform.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Settings under "Database". The connection string is ConnectionStrings:Helio.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the server starts (the migrate command does it on demand).</summary>
    public bool MigrateOnStart { get; set; } = true;
}
