namespace Helio.Server.Platform.Data;

/// <summary>Process-wide settings of the SQLite library, applied once before the first connection opens.</summary>
internal static class SqliteEngine
{
    private static readonly Lazy<bool> Configured = new(Configure);

    /// <summary>True when the settings took effect; false when SQLite was already in use in this process (harmless).</summary>
    public static bool EnsureConfigured() => Configured.Value;

    private static bool Configure()
    {
        SQLitePCL.Batteries_V2.Init();
        // SQLite counts every allocation under one global mutex for sqlite3_memory_used(), which Helio never
        // reads; under concurrent requests that mutex showed in profiles. The library accepts the setting only
        // before its first use and refuses it (SQLITE_MISUSE, changing nothing) after.
        return SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0) == SQLitePCL.raw.SQLITE_OK;
    }
}
