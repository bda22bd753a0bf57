#!/usr/bin/env bash
# Logger gateway under a fleet, on this machine, in one run: simulated loggers (src/Helio.Simulator, push mode)
# connect over TCP to one Helio server process on SQLite; the run reports how many stay connected, the readings
# stored per second against those offered (every logger polled every POLL seconds), requests that timed out,
# server CPU, and server memory per connection (RSS with the fleet minus RSS before it, divided by the count).
# Usage: bench/gateway-load.sh [loggers] [poll-seconds] [measure-seconds] [simulator-processes]
#   bench/gateway-load.sh 19900 60 180 2    # the fleet target: heartbeats every 120 s, polls every 60 s
#   bench/gateway-load.sh 2000 1 60 1       # end-to-end throughput: 2,000 readings/s offered
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-19900}
poll=${2:-60}
measure=${3:-180}
procs=${4:-2}
port=5098
gateway=10098
data=$(mktemp -d)
base="http://127.0.0.1:$port"

if curl -fs "$base/health/live" >/dev/null 2>&1; then echo "port $port is in use: stop what listens there first" >&2; exit 1; fi
dotnet publish src/Helio.Server -c Release -o "$data/app" -v quiet -nologo >/dev/null
dotnet publish src/Helio.Simulator -c Release -o "$data/sim" -v quiet -nologo >/dev/null

pid=
sims=()
# The server's and simulators' logs are kept in /tmp/gateway-load-logs for a look after the run.
trap 'kill ${sims[@]+"${sims[@]}"} $pid 2>/dev/null; rm -rf /tmp/gateway-load-logs; mkdir -p /tmp/gateway-load-logs; cp "$data"/*.log /tmp/gateway-load-logs/ 2>/dev/null; rm -rf "$data"' EXIT

ASPNETCORE_ENVIRONMENT=Production dotnet "$data/app/Helio.Server.dll" --urls "$base" \
  --Helio:DataDirectory="$data/data" --Gateway:Port=$gateway --Gateway:PollInterval="$(date -u -d @"$poll" +%T)" \
  --Logging:LogLevel:Default=Warning >"$data/server.log" 2>&1 &
pid=$!
until curl -fs "$base/health/ready" >/dev/null 2>&1; do sleep 0.1; done
sleep 5
rss_idle=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

metric() { # sum of the samples of one metric whose labels contain $2
  curl -fs "$base/metrics" | awk -v name="$1" -v labels="${2:-}" 'index($0, name) == 1 && index($0, labels) { sum += $NF } END { printf "%d\n", sum }'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Each simulator process holds its share of the connections (a process may hold at most `ulimit -n` sockets).
ramp_start=$(date +%s)
per=$((count / procs))
for i in $(seq 0 $((procs - 1))); do
  n=$per; [ "$i" -eq $((procs - 1)) ] && n=$((count - per * (procs - 1)))
  dotnet "$data/sim/Helio.Simulator.dll" push --server 127.0.0.1:$gateway --count "$n" \
    --first-serial $((2700000001 + i * per)) --interval 120 --seed "$i" >"$data/sim-$i.log" 2>&1 &
  sims+=($!)
done
until [ "$(metric helio_gateway_connections)" -ge "$count" ]; do
  if [ $(($(date +%s) - ramp_start)) -gt 900 ]; then echo "only $(metric helio_gateway_connections) of $count connected after 900 s" >&2; break; fi
  sleep 2
done
ramp=$(($(date +%s) - ramp_start))
# Let every logger be identified and polled once before measuring.
sleep $((poll + 15))

stored0=$(metric helio_readings_total 'outcome="stored"'); timeouts0=$(metric helio_gateway_request_duration_seconds_count 'outcome="timeout"')
answered0=$(metric helio_gateway_request_duration_seconds_count 'outcome="answered"'); cpu0=$(cpu_ticks $pid); t0=$(date +%s.%N)
sleep "$measure"
stored1=$(metric helio_readings_total 'outcome="stored"'); timeouts1=$(metric helio_gateway_request_duration_seconds_count 'outcome="timeout"')
answered1=$(metric helio_gateway_request_duration_seconds_count 'outcome="answered"'); cpu1=$(cpu_ticks $pid); t1=$(date +%s.%N)
rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
connected=$(metric helio_gateway_connections)
elapsed=$(echo "$t1 - $t0" | bc)

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); simulators on the same machine ($procs processes)"
echo "loggers: $count started, $connected connected at the end; all connected after ${ramp} s"
printf 'readings stored: %.0f/s over %.0f s (offered: %.0f/s = %d loggers / %d s poll), %.1f%% of offered\n' \
  "$(echo "($stored1 - $stored0) / $elapsed" | bc -l)" "$elapsed" "$(echo "$count / $poll" | bc -l)" "$count" "$poll" \
  "$(echo "100 * ($stored1 - $stored0) / ($elapsed * $count / $poll)" | bc -l)"
printf 'Modbus requests: %.0f/s answered, %d timed out\n' "$(echo "($answered1 - $answered0) / $elapsed" | bc -l)" "$((timeouts1 - timeouts0))"
printf 'server CPU: %.0f%% of one core\n' "$(echo "100 * ($cpu1 - $cpu0) / $(getconf CLK_TCK) / $elapsed" | bc -l)"
printf 'server memory: %d MB before the fleet, %d MB with it: %.1f KB per connection\n' \
  "$((rss_idle / 1024))" "$((rss / 1024))" "$(echo "($rss - $rss_idle) / $connected" | bc -l)"
