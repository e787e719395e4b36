#!/usr/bin/env bash
# Where the CPU time of one proxied request goes, in measures that do not depend on how busy the machine is:
#
#   bash bench/profile-request.sh [--protocol h1|h2] [--seconds 20] [--warmup 30] [--out DIR] [-- GATEWAY ENV=VALUE ...]
#
# Starts the 1 KB backend and `ingress gateway` with the user's manifests (TLS, /test/hello -> /hello, access log off),
# warms the gateway up, then loads it with a fixed number of connections (wrk -t1 -c16 for HTTP/1.1, h2load -c4 -m4
# for HTTP/2) and reports:
#   - CPU microseconds per request of the gateway process (utime + stime from /proc over the run / requests served):
#     the machine's load stretches wall time, not the CPU a request needs, so this figure travels;
#   - the same CPU split by component, from `perf record` (software cpu-clock samples, every thread of the gateway,
#     .NET frames named through DOTNET_PerfMapEnabled), each sample charged to the component of its innermost frame;
#   - the top 40 innermost frames.
# Anything after `--` is passed to the gateway's environment (e.g. `-- INGRESS_UPSTREAM_PATH=yarp`).
# Needs root (perf), wrk / h2load, and a Release build (bash bench/run.sh --sections none builds one; or
# dotnet build src/Ingress.Cli -c Release && dotnet build bench/Ingress.Bench -c Release).
{
set -uo pipefail
PROTOCOL=h1
SECONDS_RUN=20
WARMUP=30
OUT=
GW_ENV=()
while [ $# -gt 0 ]; do
  case "$1" in
    --protocol) PROTOCOL="$2"; shift ;;
    --seconds) SECONDS_RUN="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --) shift; GW_ENV=("$@"); break ;;
    -h|--help) sed -n '2,/^{/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "profile-request.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
INGRESS="${INGRESS_BIN:-$ROOT/src/Ingress.Cli/bin/Release/net10.0/ingress}"
OUT="${OUT:-$ROOT/bench/results/profile-$(date -u +%Y-%m-%dT%H%MZ)-$PROTOCOL}"
source "$ROOT/bench/gateway-fixture.sh"
fixture_check perf wrk h2load
mkdir -p "$OUT"
fixture_backend
fixture_config
fixture_gateway profiled "$INGRESS" "${GW_ENV[@]}"
URL=$GW_URL

load() { # load SECONDS OUTFILE: the measured load, HTTP/1.1 or HTTP/2
  if [ "$PROTOCOL" = h2 ]; then
    timeout $(($1 + 30)) h2load -t1 -c4 -m4 -D "$1" "$URL" > "$2" 2>&1
  else
    timeout $(($1 + 30)) wrk -t1 -c16 -d"${1}s" --latency "$URL" > "$2" 2>&1
  fi
}
served() { # requests a load file says were served with 2xx
  if [ "$PROTOCOL" = h2 ]; then awk '/^status codes:/ {print $3}' "$1"; else awk '/requests in/ {print $1}' "$1"; fi
}

echo "warm-up ${WARMUP}s ($PROTOCOL)" >&2
load "$WARMUP" "$WORK/warmup.txt"
echo "measuring ${SECONDS_RUN}s: CPU per request, then ${SECONDS_RUN}s under perf" >&2
before=$(cpu_ticks "$GW_PID")
load "$SECONDS_RUN" "$OUT/load-cpu.txt"
after=$(cpu_ticks "$GW_PID")
requests=$(served "$OUT/load-cpu.txt")
hz=$(getconf CLK_TCK)
cpu_us=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN {printf "%.1f", t / hz / n * 1e6}')

perf record -F 1999 -g -p "$GW_PID" -o "$WORK/perf.data" -- sleep "$SECONDS_RUN" > "$WORK/perf-record.log" 2>&1 &
perf_pid=$!
load "$SECONDS_RUN" "$OUT/load-perf.txt"
wait "$perf_pid"
perf report -i "$WORK/perf.data" --no-children --sort dso,sym -g none --percent-limit 0 --stdio 2> /dev/null \
  | grep -E '^ +[0-9.]+%' > "$OUT/perf-self.txt"

perf script -i "$WORK/perf.data" -F ip,sym,dso 2> /dev/null | gzip > "$OUT/perf-script.txt.gz"
zcat "$OUT/perf-script.txt.gz" | python3 "$ROOT/bench/perf-components.py" "$cpu_us" > "$OUT/components.md"

{
  echo "protocol: $PROTOCOL; gateway env: ${GW_ENV[*]:-(none)}; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "requests served in ${SECONDS_RUN}s: $requests ($(awk -v n="$requests" -v d="$SECONDS_RUN" 'BEGIN {printf "%.0f", n / d}') req/s);" \
    "gateway CPU: $(awk -v t=$((after - before)) -v hz="$hz" 'BEGIN {printf "%.2f", t / hz}') s = $cpu_us µs per request"
  echo
  cat "$OUT/components.md"
  echo
  echo "top innermost frames (share of the gateway's samples):"
  head -40 "$OUT/perf-self.txt" | sed -E 's/ +/ /g'
} | tee "$OUT/summary.txt"
}
