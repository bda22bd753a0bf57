#!/usr/bin/env bash
# Issue 7's targets for one owner with 10 plants x 1 year of 5-minute data (one inverter per plant), on the real
# binary (Release, SQLite, key files), started as the README says:
#   (b) export: POST /api/v1/me/requests {kind:"export"} -> code from the mail -> verify -> poll until completed;
#       time (< 30 s) and the server's RSS growth (/proc/<pid>/status, < 100 MB);
#   (a) deletion: the deletion request the same way when its fulfilment exists, else the admin erasure route; time
#       (< 30 s); then the backup check (ADR 0027): once the key rotation ran, a copy of the database taken before
#       the deletion decrypts nothing of the owner with the key files left, while a backup made by 'helio backup'
#       before the deletion still restores the others.
# Readings and rollups are written straight into the database (sqlite3), as sending a year of readings through the
# gateway would take hours; plants and inverters go through the API. Usage: bench/privacy-owner.sh
set -euo pipefail
cd "$(dirname "$0")/.."
port=5097
data=$(mktemp -d)
base="http://127.0.0.1:$port"
password="benchmark password"
for tool in sqlite3 curl python3 bc; do command -v $tool >/dev/null || { echo "$tool is needed" >&2; exit 1; }; done
python3 -c 'import cryptography' 2>/dev/null || { echo "python3-cryptography is needed: apt-get install python3-cryptography" >&2; exit 1; }
if curl -fs "$base/health/live" >/dev/null 2>&1; then echo "port $port is in use: stop what listens there first" >&2; exit 1; fi
dotnet publish src/Helio.Server -c Release -o "$data/app" -v quiet -nologo >/dev/null
settings=(--Helio:DataDirectory="$data/data" --Gateway:Port=0 --Accounts:RequireConfirmedEmail=false
  --RateLimits:CredentialsPerMinute=100000 --Logging:LogLevel:Default=Warning)
helio() { ASPNETCORE_ENVIRONMENT=Production dotnet "$data/app/Helio.Server.dll" "$@" "${settings[@]}"; }

pid=
# Under set -e and pipefail a grep that finds nothing would end the trap before the clean-up: hence the || true.
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; grep -iE "abort|unhandled|exception" "$data/server.log" 2>/dev/null | head -20 || true; rm -rf "$data"' EXIT
ASPNETCORE_ENVIRONMENT=Production dotnet "$data/app/Helio.Server.dll" --urls "$base" "${settings[@]}" >"$data/server.log" 2>&1 &
pid=$!
until curl -fs "$base/health/ready" >/dev/null 2>&1; do sleep 0.1; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
now() { date +%s.%N; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
register() { # email -> access token
  curl -fs -XPOST "$base/api/v1/account/register" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$password\",\"name\":\"Bench\",\"country\":\"DE\",\"dateOfBirth\":\"1980-01-01\"}" >/dev/null
  curl -fs -XPOST "$base/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"$password\"}" | json '["accessToken"]'
}
api() { # method path [body]
  curl -fs -X"$1" "$base$2" -H "authorization: Bearer $token" -H 'content-type: application/json' ${3:+-d "$3"}
}

mail_to() { # address, text in the mail -> the newest such mail's decoded text (the dev mail sink: <data dir>/mail-outbox/)
  local file
  for _ in $(seq 1 100); do
    file=$(grep -l "$1" $(ls -tr "$data/data/mail-outbox"/* 2>/dev/null) /dev/null 2>/dev/null | xargs -r grep -l "$2" | tail -1 || true)
    [ -n "$file" ] && break
    sleep 0.1
  done
  [ -n "$file" ] && python3 -c 'import email,sys,email.policy; m=email.message_from_file(open(sys.argv[1]),policy=email.policy.default); print(m.get_body(("plain",)).get_content())' "$file"
}
confirm() { # address: confirms it with the link from its mail, as the requests need a confirmed address
  local link
  link=$(mail_to "$1" "confirm-email" | grep -oE 'https?://[^ ]+/account/confirm-email\?[^ ]+' | head -1)
  python3 -c 'import sys,json,urllib.parse as u; q=u.parse_qs(u.urlparse(sys.argv[1]).query); print(json.dumps({"userId":q["userId"][0],"token":q["code"][0]}))' "$link" |
    curl -fs -XPOST "$base/api/v1/account/confirm-email" -H 'content-type: application/json' -d @- >/dev/null
}

owner="owner.$RANDOM$RANDOM@example.com"
admin="admin.$RANDOM$RANDOM@example.com"
token=$(register "$owner")
admin_token=$(register "$admin")
confirm "$owner"
helio users add-role "$admin" admin >/dev/null
owner_id=$(api GET /api/v1/me | json '["id"]')
echo "server ready; owner and admin registered ($(date -u +%T))"

echo "Seeding: 10 plants, one inverter each, 1 year of 5-minute readings, hourly and daily rollups"
t0=$(now)
serials=()
for i in $(seq 1 10); do
  plant=$(api POST /api/v1/plants "{\"name\":\"Plant $i\",\"latitude\":48.1,\"longitude\":11.5,\"timeZone\":\"Europe/Berlin\",\"capacityKwp\":9.9,\"address\":\"Bench street $i\"}" | json '["id"]')
  serial="SR1ES$((100000000 + RANDOM * 1000 + i))"
  api POST "/api/v1/plants/$plant/devices" "{\"serialNumber\":\"$serial\",\"kind\":\"inverter\"}" >/dev/null
  serials+=("$serial")
done
year_start=$(( $(date -u -d "$(date -u +%Y)-01-01" +%s) * 1000 - 365 * 86400 * 1000 ))
{
  echo ".timeout 30000"
  echo "BEGIN;"
  for serial in "${serials[@]}"; do
    echo "INSERT INTO telemetry_devices (Serial, LoggerSerial) VALUES ('$serial', NULL);"
    # 105,120 readings: a sine of daylight; energy counters that move.
    echo "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 105119)
      INSERT INTO readings (device, at, state, raw_state, active_power_w, pv_power_w, energy_today_kwh, energy_total_kwh)
      SELECT (SELECT Number FROM telemetry_devices WHERE Serial = '$serial'), $year_start + i * 300000, 2, 2,
             max(0, CAST(5000 * sin((i % 288 - 72) * 3.14159 / 144) AS INTEGER)), max(0, CAST(5200 * sin((i % 288 - 72) * 3.14159 / 144) AS INTEGER)),
             (i % 288) * 10, i * 3 FROM n;"
    echo "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 8759)
      INSERT INTO device_rollups (Device, Level, Period, EnergyWh, PowerAvgW, PowerMaxW, Samples)
      SELECT (SELECT Number FROM telemetry_devices WHERE Serial = '$serial'), 1, $year_start + i * 3600000, 2500, 2500, 5000, 12 FROM n;"
    echo "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 364)
      INSERT INTO device_rollups (Device, Level, Period, EnergyWh, PowerAvgW, PowerMaxW, Samples)
      SELECT (SELECT Number FROM telemetry_devices WHERE Serial = '$serial'), 2,
             CAST(strftime('%Y%m%d', $year_start / 1000 + i * 86400, 'unixepoch') AS INTEGER), 30000, 1250, 5000, 24 FROM n;"
  done
  echo "COMMIT;"
} | sqlite3 "$data/data/helio.db"
readings=$(sqlite3 "$data/data/helio.db" "SELECT count(*) FROM readings")
printf 'seeded %s readings in %.1f s\n' "$readings" "$(echo "$(now) - $t0" | bc)"

mail_code() { # request id -> the code from the mail naming it
  mail_to "$owner" "$1" | grep -A3 'code for your' | grep -oE '^ +[A-Za-z0-9-]{4,} *$' | tr -d ' ' | head -1
}
request() { # kind [extra JSON fields] -> request id once verified, or nothing (the answer goes to stderr)
  local answer id code
  answer=$(curl -s -XPOST "$base/api/v1/me/requests" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"kind\":\"$1\",\"password\":\"$password\"${2:+,$2}}")
  id=$(json '["id"]' <<<"$answer" 2>/dev/null) || { echo "the $1 request was not accepted: $answer" >&2; return 0; }
  code=$(mail_code "$id")
  [ -n "$code" ] && api POST "/api/v1/me/requests/$id/verify" "{\"code\":\"$code\"}" >/dev/null && echo "$id"
}
wait_completed() { # id, seconds -> 0 when completed in time
  local state until=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -le $until ]; do
    state=$(api GET "/api/v1/me/requests/$1" | json '["state"]' 2>/dev/null || echo gone)
    case $state in completed|gone) return 0 ;; refused) return 1 ;; esac
    sleep 0.1
  done
  return 1
}
fulfilled() { # id: does a fulfilment pick the verified request up within 5 s (in-progress or further)?
  local state until=$(( $(date +%s) + 5 ))
  while [ "$(date +%s)" -le $until ]; do
    state=$(api GET "/api/v1/me/requests/$1" | json '["state"]' 2>/dev/null || echo gone)
    [ "$state" != verified ] && return 0
    sleep 0.2
  done
  return 1
}

echo "(b) export"
rss_before=$(rss_mb)
t0=$(now)
export_id=$(request export)
if [ -n "$export_id" ] && fulfilled "$export_id" && wait_completed "$export_id" 120; then
  printf 'export completed in %.1f s (target < 30 s); server RSS %s MB -> %s MB, growth %s MB (target < 100 MB)\n' \
    "$(echo "$(now) - $t0" | bc)" "$rss_before" "$(rss_mb)" "$(( $(rss_mb) - rss_before ))"
else
  echo "export fulfilment not available (the request was verified, nothing picked it up): not measured"
fi

echo "(a) deletion"
cp "$data/data/keys/current" "$data/kek-before"
sqlite3 "$data/data/helio.db" ".backup '$data/pre-deletion-copy.db'"    # any copy: a file backup, a snapshot
helio backup "$data/managed-backup.db" >/dev/null                         # Helio's own backup (ADR 0027)
echo "before the deletion, with today's key files:"
bench/decrypt-check.py "$data/pre-deletion-copy.db" "$data/data/keys" "$owner_id" --expect all
t0=$(now)
deletion_id=$(request deletion '"ground":"no-longer-used"')
if [ -n "$deletion_id" ] && fulfilled "$deletion_id"; then
  wait_completed "$deletion_id" 120 || { echo "the deletion request did not complete" >&2; exit 1; }
  how="deletion request"
else
  # The deletion request's fulfilment is not here yet: the admin erasure route (same AccountErasure).
  token=$admin_token
  t0=$(now)
  api POST /api/v1/admin/child-accounts/erase "{\"email\":\"$owner\",\"confirm\":true}" >/dev/null
  how="admin erasure route (deletion fulfilment not available)"
fi
deleted=$(echo "$(now) - $t0" | bc)
printf 'deletion (%s) took %.2f s (target < 30 s); %s readings left\n' "$how" "$deleted" "$(sqlite3 "$data/data/helio.db" "SELECT count(*) FROM readings")"
old_kek="$data/data/keys/kek-$(cat "$data/kek-before").key"
t0=$(now)
for _ in $(seq 1 1200); do [ -f "$old_kek" ] || break; sleep 0.1; done
[ -f "$old_kek" ] && { echo "the old key-encryption key still exists 120 s after the deletion" >&2; exit 1; }
printf 'old key-encryption key destroyed %.1f s after the deletion (the rotation job looks every minute)\n' "$(echo "$(now) - $t0" | bc)"
echo "after the rotation, with the key files left:"
bench/decrypt-check.py "$data/pre-deletion-copy.db" "$data/data/keys" "$owner_id" --expect none
bench/decrypt-check.py "$data/managed-backup.db" "$data/data/keys" "$owner_id" --expect none
admin_id=$(token=$admin_token api GET /api/v1/me | json '["id"]')
echo "the managed backup still restores the others (the admin's account):"
bench/decrypt-check.py "$data/managed-backup.db" "$data/data/keys" "$admin_id" --expect all
token=$admin_token api GET /api/v1/me >/dev/null && echo "live server: the admin's profile still decrypts"
exit 0
