using System.Security.Cryptography;
using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Access;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Devices;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Helio.Server.Features.RemoteControl;

/// <summary>A device as remote operations see it.</summary>
internal sealed record OperatedDevice(Guid Id, string SerialNumber, DeviceKind Kind, string? Model, Guid PlantId)
{
    public RegisterMap? Map => OperationCatalogue.MapFor(Kind, Model);
}

/// <summary>
/// Reading operations: a device's settings and its operations, one operation. Everyone who may see the device's plant
/// may read them; only those who may operate it (PlantAccess.Operable) may act. A device or operation the caller may
/// not see answers like a missing one. A device lists only the operations made while it was in its current plant, so
/// a device that changes hands does not show its former plant's people.
/// </summary>
internal sealed class OperationQueries(HelioDbContext db, PlantAccess access, PersonalDataProtector protector)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>How many confirmed operations are searched for a setting's current value.</summary>
    private const int CurrentValueDepth = 100;

    private IQueryable<RemoteOperation> Operations => db.Set<RemoteOperation>();

    /// <summary>The device when the caller may see it (or, with <paramref name="operate"/>, operate it).</summary>
    public Task<OperatedDevice?> DeviceAsync(Guid userId, string serialNumber, bool operate, CancellationToken cancellationToken)
    {
        var serial = SerialNumbers.Normalise(serialNumber);
        var plants = operate ? access.Operable(userId) : access.Visible(userId);
        return db.Devices.AsNoTracking().Where(d => d.SerialNumber == serial && plants.Any(p => p.Id == d.PlantId))
            .Select(d => new OperatedDevice(d.Id, d.SerialNumber, d.Kind, d.Model, d.PlantId))
            .SingleOrDefaultAsync(cancellationToken);
    }

    public Task<bool> CanOperateAsync(Guid userId, Guid plantId, CancellationToken cancellationToken) =>
        access.Operable(userId).AnyAsync(p => p.Id == plantId, cancellationToken);

    /// <summary>The device's writable settings (with the values it last confirmed) and the named operations.</summary>
    public async Task<DeviceSettingsDto?> SettingsAsync(Guid userId, string serialNumber, CancellationToken cancellationToken)
    {
        if (await DeviceAsync(userId, serialNumber, operate: false, cancellationToken) is not { } device)
        {
            return null;
        }
        var map = device.Map;
        var canOperate = await CanOperateAsync(userId, device.PlantId, cancellationToken);
        if (map is null)
        {
            return new DeviceSettingsDto(device.SerialNumber, null, canOperate, [], []);
        }
        // The poll does not read settings (they would be telemetry of no one's interest every minute): a setting's
        // current value is what the device read back after the newest confirmed write of it.
        var confirmed = await Operations.AsNoTracking()
            .Where(o => o.DeviceId == device.Id && o.PlantId == device.PlantId && o.State == OperationState.Confirmed && o.ReadBack != null)
            .OrderByDescending(o => o.Id).Take(CurrentValueDepth)
            .Select(o => new { o.Address, o.ReadBack, o.CompletedAt }).ToListAsync(cancellationToken);
        var settings = map.Settings.Select(s =>
        {
            var last = confirmed.FirstOrDefault(c => s.Address >= c.Address && s.Address < c.Address + OperationCatalogue.Parse(c.ReadBack!).Length);
            double? current = last is null ? null : s.Decode(OperationCatalogue.Parse(last.ReadBack!)[s.Address - last.Address]);
            return new SettingDto(s.Name, s.Unit, s.Min, s.Max, s.Step, s.Dangerous, s.Description, current, last?.CompletedAt);
        }).ToList();
        var named = OperationCatalogue.Named.Select(n => map.Operations.FirstOrDefault(o => o.Name == n.Name) is { } o
            ? new NamedOperationDto(n.Name, n.Title, true, o.Description, o.ValueSetting is not null, o.ValueSetting?.Unit, o.ValueSetting?.Min, o.ValueSetting?.Max, o.ValueSetting?.Step, o.Dangerous)
            : new NamedOperationDto(n.Name, n.Title, false, OperationCatalogue.Unsupported(map, n.Name), false, null, null, null, null, false)).ToList();
        return new DeviceSettingsDto(device.SerialNumber, map.Id, canOperate, settings, named);
    }

    /// <summary>The device's operations, newest first; <paramref name="cursor"/> is the <c>next</c> of the previous page.</summary>
    public async Task<Outcome<OperationPageDto>> ListAsync(Guid userId, string serialNumber, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var (take, before) = validation.Page(limit, cursor, DefaultLimit, MaxLimit);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (await DeviceAsync(userId, serialNumber, operate: false, cancellationToken) is not { } device)
        {
            return Refusal.NotFound;
        }
        var query = Operations.AsNoTracking().Where(o => o.DeviceId == device.Id && o.PlantId == device.PlantId);
        if (before is { } b)
        {
            // Ids are version 7 UUIDs from the request's time: their order is the order requested.
            query = query.Where(o => o.Id.CompareTo(b) < 0);
        }
        var page = await query.OrderByDescending(o => o.Id).Take(take + 1).ToListAsync(cancellationToken);
        var canOperate = await CanOperateAsync(userId, device.PlantId, cancellationToken);
        var operations = await ToDtosAsync(userId, device.Map, canOperate, page.Take(take), cancellationToken);
        return new OperationPageDto(operations, page.Count > take ? operations[^1].Id.ToString() : null);
    }

    public async Task<OperationDto?> GetAsync(Guid userId, Guid operationId, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, operationId, cancellationToken) is not { } found)
        {
            return null;
        }
        var canOperate = await CanOperateAsync(userId, found.Device.PlantId, cancellationToken);
        return (await ToDtosAsync(userId, found.Device.Map, canOperate, [found.Operation], cancellationToken))[0];
    }

    /// <summary>The operation and its device, when the caller may see the device's plant.</summary>
    public async Task<(RemoteOperation Operation, OperatedDevice Device)?> FindAsync(Guid userId, Guid operationId, CancellationToken cancellationToken)
    {
        var visible = access.Visible(userId);
        var row = await (
            from o in Operations.AsNoTracking()
            join d in db.Devices on o.DeviceId equals d.Id
            where o.Id == operationId && o.PlantId == d.PlantId && visible.Any(p => p.Id == d.PlantId)
            select new { Operation = o, Device = new OperatedDevice(d.Id, d.SerialNumber, d.Kind, d.Model, d.PlantId) })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.Operation, row.Device);
    }

    /// <summary>
    /// A second person's decision on a dangerous operation: allowed when the caller may operate its plant (else 404, as
    /// for a missing one), did not request it (403: a second person decides), and it still awaits approval (409). The
    /// operation moves to <paramref name="to"/> with the decider and <paramref name="set"/>'s changes, audited as <paramref name="action"/>.
    /// </summary>
    public async Task<Outcome<OperationDto>> DecideAsync(Guid userId, Guid operationId, OperationState to, string action,
        Action<UpdateSettersBuilder<RemoteOperation>, DateTimeOffset> set, OperationLedger ledger, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, operationId, cancellationToken) is not { } found || !await CanOperateAsync(userId, found.Device.PlantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        if (found.Operation.RequestedBy == userId)
        {
            return Refusal.Forbidden("A second person decides: whoever asked for an operation can neither approve nor reject it.");
        }
        var now = time.GetUtcNow();
        var decided = found.Operation.State == OperationState.AwaitingApproval && await ledger.MoveAsync(found.Operation, o => o.State == OperationState.AwaitingApproval,
            s =>
            {
                s.SetProperty(o => o.State, to).SetProperty(o => o.DecidedBy, userId).SetProperty(o => o.DecidedAt, now);
                set(s, now);
            },
            action, AuditActor.User(userId), cancellationToken);
        if (!decided)
        {
            return Refusal.Conflict("Only an operation awaiting approval can be approved or rejected; this one has been decided.");
        }
        return (await GetAsync(userId, operationId, cancellationToken))!;
    }

    public async Task<List<OperationDto>> ToDtosAsync(Guid userId, RegisterMap? map, bool canOperate, IEnumerable<RemoteOperation> operations, CancellationToken cancellationToken)
    {
        var people = new Dictionary<Guid, string?>();
        var dtos = new List<OperationDto>();
        foreach (var o in operations)
        {
            var valueSetting = ValueSettingOf(map, o.Setting);
            double? readBack = null;
            if (valueSetting is not null && o.ReadBack is not null && OperationCatalogue.Parse(o.ReadBack) is var registers
                && valueSetting.Address - o.Address is var index && index >= 0 && index < registers.Length)
            {
                readBack = valueSetting.Decode(registers[index]);
            }
            dtos.Add(new OperationDto(
                o.Id, o.DeviceSerial, o.Setting, o.Value, valueSetting?.Unit, o.Dangerous, o.State,
                await PersonAsync(o.RequestedBy, userId, people, cancellationToken), o.RequestedAt,
                o.DecidedBy is null ? null : await PersonAsync(o.DecidedBy, userId, people, cancellationToken), o.DecidedAt,
                o.SentAt, o.CompletedAt, readBack, o.Error,
                canOperate && o.State == OperationState.AwaitingApproval && o.RequestedBy != userId));
        }
        return dtos;
    }

    private static SettingDefinition? ValueSettingOf(RegisterMap? map, string setting) =>
        map?.Settings.FirstOrDefault(s => s.Name == setting) ?? map?.Operations.FirstOrDefault(o => o.Name == setting)?.ValueSetting;

    /// <summary>
    /// Someone as the caller sees them: their own address in full, anyone else's masked; an erased person (no row, or
    /// a shredded key) as nobody. Each person is decrypted once per request.
    /// </summary>
    private async Task<PersonDto> PersonAsync(Guid? personId, Guid callerId, Dictionary<Guid, string?> people, CancellationToken cancellationToken)
    {
        if (personId is not { } id)
        {
            return new PersonDto(null, false);
        }
        if (!people.TryGetValue(id, out var email))
        {
            var cipher = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.EmailCipher).FirstOrDefaultAsync(cancellationToken);
            try
            {
                email = cipher is null ? null : await protector.DecryptAsync(id, UserStore.EmailField, cipher, cancellationToken);
            }
            catch (CryptographicException)
            {
                email = null;
            }
            people[id] = email;
        }
        return new PersonDto(email is null ? null : id == callerId ? email : Masking.Email(email), id == callerId);
    }
}
