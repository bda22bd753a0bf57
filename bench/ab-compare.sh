#!/usr/bin/env bash
# Compares two published builds on this noisy machine: both run side by side (ports 5097, 5098) on
# SQLite, each with an owner with 100 plants in a fleet (bench/fleet-around.sh), and wrk alternates between them, so both see the same
# machine. Prints requests/s and server CPU per request per round and the means.
# Usage: bench/ab-compare.sh <published dir A> <published dir B> [rounds] [path] ["ENV=… for A"] ["ENV=… for B"]
# Publish with: dotnet publish src/Helio.Server -c Release -o /tmp/a
set -euo pipefail
cd "$(dirname "$0")/.."
appA=$1; appB=$2; rounds=${3:-4}; path=${4:-/api/v1/plants}; envA=${5:-}; envB=${6:-}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT

start() { # name port app env
  local base="http://127.0.0.1:$2"
  if curl -fs "$base/health/live" >/dev/null 2>&1; then echo "port $2 is in use" >&2; exit 1; fi
  env $4 ASPNETCORE_ENVIRONMENT=Production dotnet "$3/Helio.Server.dll" --urls "$base" \
    --Helio:DataDirectory="$work/$1" --Gateway:Port=0 --Accounts:RequireConfirmedEmail=false \
    --RateLimits:CredentialsPerMinute=100000 --Logging:LogLevel:Default=Warning >"$work/$1.log" 2>&1 &
  pids+=($!); echo $! >"$work/$1.pid"
  until curl -fs "$base/health/ready" >/dev/null 2>&1; do sleep 0.05; done
  bench/owner-with-plants.sh "$base" >"$work/$1.token"
  bench/fleet-around.sh "$work/$1/helio.db"
}
run() { # name port seconds -> "name req/s us/req"
  local pid t0 t1 out requests
  pid=$(cat "$work/$1.pid")
  t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  out=$(wrk -t2 -c32 -d"$3"s -H "authorization: Bearer $(cat "$work/$1.token")" "http://127.0.0.1:$2$path")
  t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "$1 $(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out") $(( (t1 - t0) * 1000000 / $(getconf CLK_TCK) / requests ))"
}

start A 5097 "$appA" "$envA"
start B 5098 "$appB" "$envB"
for _ in 1 2; do run A 5097 5 >/dev/null; run B 5098 5 >/dev/null; done # warm-up: tiered JIT settles
for _ in $(seq 1 "$rounds"); do run A 5097 6; run B 5098 6; done | tee "$work/rounds"
awk '{n[$1]++; r[$1]+=$2; c[$1]+=$3} END {for (k in n) printf "%s: mean %.0f req/s, %.0f us server CPU/req\n", k, r[k]/n[k], c[k]/n[k]}' "$work/rounds" | sort
