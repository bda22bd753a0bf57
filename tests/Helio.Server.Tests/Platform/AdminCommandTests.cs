using Helio.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Helio.Server.Tests.Platform;

/// <summary>The admin commands run as a user runs them: the same binary, a data directory, a real process.</summary>
public sealed class AdminCommandTests : IDisposable
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("helio-cmd-").FullName;

    private Task<(int Exit, string Output)> RunAsync(params string[] args) =>
        ServerCommand.RunAsync(args, $"--Helio:DataDirectory={dataDirectory}");

    [Fact]
    public async Task Migrate_CreatesTheDatabase_InWalMode()
    {
        var (exit, output) = await RunAsync("migrate");

        Assert.True(exit == 0, output);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "helio.db")}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task KeysRotate_MakesANewCurrentKey()
    {
        Assert.Equal(0, (await RunAsync("migrate")).Exit);
        var before = await File.ReadAllTextAsync(Path.Combine(dataDirectory, "keys", "current"), TestContext.Current.CancellationToken);
        await Task.Delay(1100, TestContext.Current.CancellationToken);

        var (exit, output) = await RunAsync("keys", "rotate");

        Assert.True(exit == 0, output);
        var after = await File.ReadAllTextAsync(Path.Combine(dataDirectory, "keys", "current"), TestContext.Current.CancellationToken);
        Assert.NotEqual(before, after);
        Assert.Contains("Re-wrapped", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersAddRole_UnknownUserOrRole_FailsClearly()
    {
        Assert.Equal(0, (await RunAsync("migrate")).Exit);

        var unknownUser = await RunAsync("users", "add-role", "nobody@example.com", "admin");
        var unknownRole = await RunAsync("users", "add-role", "nobody@example.com", "emperor");

        Assert.Equal(1, unknownUser.Exit);
        Assert.Contains("No account", unknownUser.Output, StringComparison.Ordinal);
        Assert.Equal(2, unknownRole.Exit);
        Assert.Contains("Unknown role", unknownRole.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }
}
