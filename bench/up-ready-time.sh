#!/usr/bin/env bash
# Measures how long `ingress up` takes from launch to "The local system is ready", N times (default 3), then stops
# each run with SIGTERM. Build first (dotnet build src/Ingress.Cli). Extra arguments go to `ingress up`, e.g.
#   bash bench/up-ready-time.sh 3 --state-dir /tmp/up-bench --https-port 28443 --http-port 28080 --dashboard-port 28888
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}; shift || true
tool=src/Ingress.Cli/bin/Debug/net10.0/ingress.dll
[ -f "$tool" ] || { echo "build first: dotnet build src/Ingress.Cli"; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  out=$(mktemp)
  start=$(date +%s.%N)
  dotnet "$tool" up "$@" > "$out" 2>&1 &
  pid=$!
  until grep -q "The local system is ready" "$out"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "run $run: ingress up exited:"; cat "$out"; rm -f "$out"; exit 1; fi
    sleep 0.05
  done
  end=$(date +%s.%N)
  printf 'run %d: %.1f s wall clock; %s\n' "$run" "$(echo "$end - $start" | bc)" "$(grep -o 'The local system is ready ([0-9.]* s)' "$out")"
  kill -TERM "$pid"
  wait "$pid"
  rm -f "$out"
done
