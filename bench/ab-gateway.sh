#!/usr/bin/env bash
# Two builds or two settings of the gateway side by side in one run, as ratios (B ÷ A), so that a change can be judged
# on a busy machine:
#
#   bash bench/ab-gateway.sh [--protocol h2|h1] [--rounds 6] [--seconds 15] [--warmup 30]
#                            [--a-bin PATH] [--b-bin PATH] [--a-env NAME=VALUE]... [--b-env NAME=VALUE]...
#                            [--a-protocol h1|h2] [--b-protocol h1|h2]
#
# Starts the 1 KB backend and two gateways (A and B) with the user's manifests (TLS, /test/hello -> /hello, access log
# off), warms each up, then loads them in turn, the order alternating A B, B A, A B ... (h2load -t1 -c32 -m10 over TLS
# for HTTP/2, wrk -t1 -c64 for HTTP/1.1), and prints per round the requests per second and the CPU microseconds per
# request of each gateway (utime + stime from /proc), with the ratios B ÷ A of each pair and their median. CPU per
# request is the figure that least depends on what else the machine runs; req/s ratios need the pairs to agree.
# --a-protocol / --b-protocol load one side with the other protocol (e.g. one build's HTTP/2 against its HTTP/1.1).
# Both default to the Release build of this checkout (dotnet build src/Ingress.Cli -c Release and
# dotnet build bench/Ingress.Bench -c Release); e.g. main's build as A: --a-bin /path/to/main/src/Ingress.Cli/bin/Release/net10.0/ingress.
{
set -uo pipefail
PROTOCOL=h2
ROUNDS=6
SECONDS_RUN=15
WARMUP=30
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
A_BIN="$ROOT/src/Ingress.Cli/bin/Release/net10.0/ingress"
B_BIN="$A_BIN"
A_ENV=()
B_ENV=()
A_PROTOCOL=
B_PROTOCOL=
while [ $# -gt 0 ]; do
  case "$1" in
    --protocol) PROTOCOL="$2"; shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    --seconds) SECONDS_RUN="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --a-bin) A_BIN="$2"; shift ;;
    --b-bin) B_BIN="$2"; shift ;;
    --a-env) A_ENV+=("$2"); shift ;;
    --b-env) B_ENV+=("$2"); shift ;;
    --a-protocol) A_PROTOCOL="$2"; shift ;;
    --b-protocol) B_PROTOCOL="$2"; shift ;;
    -h|--help) sed -n '2,/^{/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "ab-gateway.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
A_PROTOCOL="${A_PROTOCOL:-$PROTOCOL}"; B_PROTOCOL="${B_PROTOCOL:-$PROTOCOL}"
for p in "$A_PROTOCOL" "$B_PROTOCOL"; do
  case "$p" in h1|h2) ;; *) echo "ab-gateway.sh: a protocol is h1 or h2" >&2; exit 2 ;; esac
done

source "$ROOT/bench/gateway-fixture.sh"
fixture_check wrk h2load
fixture_backend
fixture_config
fixture_gateway a "$A_BIN" "${A_ENV[@]}"
A_PID=$GW_PID; A_URL=$GW_URL
fixture_gateway b "$B_BIN" "${B_ENV[@]}"
B_PID=$GW_PID; B_URL=$GW_URL

load() { # load PROTOCOL URL SECONDS OUTFILE
  local protocol="$1"; shift
  if [ "$protocol" = h2 ]; then
    timeout $(($2 + 30)) h2load -t1 -c32 -m10 -D "$2" "$1" > "$3" 2>&1
  else
    timeout $(($2 + 30)) wrk -t1 -c64 -d"${2}s" "$1" > "$3" 2>&1
  fi
}
served() { # served PROTOCOL FILE: requests answered 2xx, from a load output
  if [ "$1" = h2 ]; then awk '/^status codes:/ {print $3}' "$2"; else awk '/requests in/ {print $1}' "$2"; fi
}
HZ=$(getconf CLK_TCK)
measure() { # measure PROTOCOL PID URL -> "REQ_PER_S CPU_US_PER_REQUEST"
  local before after n
  before=$(cpu_ticks "$2")
  load "$1" "$3" "$SECONDS_RUN" "$WORK/load.txt"
  after=$(cpu_ticks "$2")
  n=$(served "$1" "$WORK/load.txt")
  [ -n "$n" ] && [ "$n" -gt 0 ] || { echo "no requests served by $3:" >&2; cat "$WORK/load.txt" >&2; exit 1; }
  awk -v n="$n" -v s="$SECONDS_RUN" -v t=$((after - before)) -v hz="$HZ" 'BEGIN {printf "%.0f %.1f", n / s, t / hz / n * 1e6}'
}

echo "A: $A_PROTOCOL $A_BIN ${A_ENV[*]:-}"
echo "B: $B_PROTOCOL $B_BIN ${B_ENV[*]:-}"
echo "$ROUNDS rounds of ${SECONDS_RUN}s each after ${WARMUP}s of warm-up each; load average $(cut -d' ' -f1-3 /proc/loadavg)"
load "$A_PROTOCOL" "$A_URL" "$WARMUP" /dev/null
load "$B_PROTOCOL" "$B_URL" "$WARMUP" /dev/null
printf '%-6s %-6s %10s %12s %10s %12s %10s %10s\n' round order "A req/s" "A µs CPU/req" "B req/s" "B µs CPU/req" "B÷A req/s" "B÷A CPU"
RPS_RATIOS=(); CPU_RATIOS=()
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then
    read -r a_rps a_cpu <<< "$(measure "$A_PROTOCOL" "$A_PID" "$A_URL")"; read -r b_rps b_cpu <<< "$(measure "$B_PROTOCOL" "$B_PID" "$B_URL")"; order="A B"
  else
    read -r b_rps b_cpu <<< "$(measure "$B_PROTOCOL" "$B_PID" "$B_URL")"; read -r a_rps a_cpu <<< "$(measure "$A_PROTOCOL" "$A_PID" "$A_URL")"; order="B A"
  fi
  rps_ratio=$(awk -v a="$a_rps" -v b="$b_rps" 'BEGIN {printf "%.3f", b / a}')
  cpu_ratio=$(awk -v a="$a_cpu" -v b="$b_cpu" 'BEGIN {printf "%.3f", b / a}')
  RPS_RATIOS+=("$rps_ratio"); CPU_RATIOS+=("$cpu_ratio")
  printf '%-6s %-6s %10s %12s %10s %12s %10s %10s\n' "$round" "$order" "$a_rps" "$a_cpu" "$b_rps" "$b_cpu" "$rps_ratio" "$cpu_ratio"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "median B÷A: req/s $(median "${RPS_RATIOS[@]}"), CPU per request $(median "${CPU_RATIOS[@]}"); load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
