#!/usr/bin/env bash
# Whole-system benchmark of the Foundation targets, on this machine, in one run:
#   - start to ready on SQLite, and idle memory (RSS) after start;
#   - GET /api/v1/plants for an owner with 100 plants among a fleet (bench/fleet-around.sh), with wrk, against GET /health/live in the
#     same process as the baseline (no database, no authentication: the "hello" of the server).
# Usage: bench/plants-load.sh [duration-seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
connections=${2:-32}
port=5099
data=$(mktemp -d)
base="http://127.0.0.1:$port"

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
if curl -fs "$base/health/live" >/dev/null 2>&1; then echo "port $port is in use: stop what listens there first" >&2; exit 1; fi
dotnet publish src/Helio.Server -c Release -o "$data/app" -v quiet -nologo >/dev/null

pid=
trap 'kill $pid 2>/dev/null; [ -f "$data/server.log" ] && grep -iE "abort|unhandled|exception" "$data/server.log" | head -20; rm -rf "$data"' EXIT
start_server() { # prints seconds from launch to /health/ready answering 200
  local start ready
  start=$(date +%s.%N)
  ASPNETCORE_ENVIRONMENT=Production dotnet "$data/app/Helio.Server.dll" --urls "$base" \
    --Helio:DataDirectory="$data/data" --Gateway:Port=0 --Accounts:RequireConfirmedEmail=false \
    --RateLimits:CredentialsPerMinute=100000 --Logging:LogLevel:Default=Warning >"$data/server.log" 2>&1 &
  pid=$!
  until curl -fs "$base/health/ready" >/dev/null 2>&1; do sleep 0.02; done
  ready=$(date +%s.%N)
  echo "$ready - $start" | bc >"$data/started"
}
start_server; first_start=$(cat "$data/started")   # creates the database and the keys
kill $pid; wait $pid 2>/dev/null || true
start_server; restart=$(cat "$data/started")       # the everyday start: database and keys exist
sleep 5
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

token=$(bench/owner-with-plants.sh "$base")
bench/fleet-around.sh "$data/data/helio.db"   # the owner is one of 2,001 on a platform with 10,000 shares

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

run() { # name, path, extra wrk args
  local out t0 t1 requests
  wrk -t2 -c"$connections" -d5s "${@:3}" "$base$2" >/dev/null # warm-up: tiered JIT settles
  t0=$(cpu_ticks)
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "${@:3}" "$base$2")
  t1=$(cpu_ticks)
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  # Server CPU per request is steadier than req/s on a shared machine: it leaves out wrk and neighbours.
  printf '%-34s %10s req/s   p50 %8s   p99 %8s   server CPU %5d us/req\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$(( (t1 - t0) * 1000000 / $(getconf CLK_TCK) / requests ))"
  if grep -q "Non-2xx" <<<"$out"; then grep "Non-2xx" <<<"$out"; fi
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); wrk -t2 -c$connections -d${duration}s on the same machine"
printf 'start to ready, first run (SQLite):   %.2f s   (creates database, runs migrations, creates keys)\n' "$first_start"
printf 'start to ready, restart (SQLite):     %.2f s\n' "$restart"
printf 'idle memory (RSS, 5 s after ready):   %d MB\n' "$((rss_kb / 1024))"
run "GET /health/live (baseline)" /health/live
run "GET /api/v1/plants (50 of 100)" /api/v1/plants -H "authorization: Bearer $token"
run "GET /api/v1/plants?pageSize=100" "/api/v1/plants?pageSize=100" -H "authorization: Bearer $token"
run "GET /api/v1/me" /api/v1/me -H "authorization: Bearer $token"
