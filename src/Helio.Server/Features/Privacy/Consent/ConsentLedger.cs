using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;

namespace Helio.Server.Features.Privacy.Consent;

/// <summary>
/// The one way a consent record is written: appended, with its audit entry, in the caller's transaction. Accepting a
/// policy version is the "service" purpose given under that version, audited as the acceptance.
/// </summary>
public sealed class ConsentLedger(HelioDbContext db, AuditTrail audit, TimeProvider time)
{
    /// <summary>The record registration makes: the service purpose, under the policy version the new user accepted.</summary>
    public static ConsentRecord AtRegistration(Guid userId, string policyVersion, DateTimeOffset at) => new()
    {
        UserId = userId, Purpose = ConsentPurposes.Service, PolicyVersion = policyVersion, Given = true, At = at, Method = ConsentMethods.Registration,
    };

    /// <summary>Adds the record and its audit entry; saves the context's pending changes with them.</summary>
    public async Task AppendAsync(Guid userId, string purpose, bool given, string policyVersion, string method, CancellationToken cancellationToken)
    {
        db.ConsentRecords.Add(new ConsentRecord
        {
            UserId = userId, Purpose = purpose, PolicyVersion = policyVersion, Given = given, At = time.GetUtcNow(), Method = method,
        });
        var action = purpose == ConsentPurposes.Service ? AuditActions.PolicyAccepted : given ? AuditActions.ConsentGiven : AuditActions.ConsentWithdrawn;
        await audit.RecordAsync(new AuditRecord(action, AuditActor.User(userId), userId, Target: purpose,
            Detail: JsonSerializer.Serialize(new { purpose, given, policyVersion, method })), cancellationToken);
    }
}
