#!/usr/bin/env bash
# Puts a fleet around the benchmark's owner in a running Helio's SQLite database: 20,000 plants of 2,000 other
# owners, 300 installer organisations with 1,500 staff, 8,000 plants shared with organisations and 2,000 with
# people. Rules that scan a table instead of searching an index are fast on an empty platform and slow here.
# Written straight into the database (sqlite3, foreign keys off: the other owners are ids, not accounts), as
# registering them over HTTP would take minutes. Usage: bench/fleet-around.sh path/to/helio.db
set -euo pipefail
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed: apt-get install sqlite3" >&2; exit 1; }
sqlite3 "$1" <<'SQL'
.timeout 10000
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO plants (Id, OwnerId, Name, Latitude, Longitude, TimeZone, CapacityKwp, CreatedAt, UpdatedAt)
SELECT upper(printf('%08X-0000-4000-8000-%012X', i, i)), upper(printf('00000000-0000-4000-9000-%012X', i % 2000)),
       'Fleet plant ' || i, 48.1, 11.5, 'Europe/Berlin', 9.9, 0, 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO plant_shares (Id, PlantId, UserId, OrganisationId, Scope, GrantedBy, CreatedAt)
SELECT upper(printf('%08X-0000-4000-A000-%012X', i, i)), upper(printf('%08X-0000-4000-8000-%012X', i * 2, i * 2)),
       CASE WHEN i > 8000 THEN upper(printf('00000000-0000-4000-B000-%012X', i % 500)) END,
       CASE WHEN i <= 8000 THEN upper(printf('00000000-0000-4000-C000-%012X', i % 300)) END,
       1 + i % 2, upper(printf('00000000-0000-4000-9000-%012X', i % 2000)), 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
INSERT INTO organisation_members (OrganisationId, UserId, Role, JoinedAt)
SELECT upper(printf('00000000-0000-4000-C000-%012X', i % 300)), upper(printf('00000000-0000-4000-D000-%012X', i)), 1 + i % 3, 0 FROM n;
COMMIT;
SQL
