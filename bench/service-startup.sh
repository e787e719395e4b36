#!/usr/bin/env bash
# Measures httpserver's start-up time to the first 200 from /hello and its resident memory right after.
# Usage: bash bench/service-startup.sh [runs]   (default 5 runs; prints one line per run and the median)
#        DLL=/tmp/httpserver-r2r/HttpServer.dll bash bench/service-startup.sh 5
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}

# DLL=path/HttpServer.dll measures an existing build instead (e.g. the ReadyToRun publish the Dockerfile makes).
if [ -n "${DLL:-}" ]; then
  dll=$DLL
else
  dotnet build src/HttpServer -c Release -nologo -v quiet >/dev/null
  dll=src/HttpServer/bin/Release/net10.0/HttpServer.dll
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
url="http://127.0.0.1:${port}/hello"

times=(); rsss=(); cpus=()
for run in $(seq "$runs"); do
  start=$(date +%s%N)
  dotnet "$dll" --urls "http://127.0.0.1:${port}" --AccessLog:Format=Off --Logging:LogLevel:Default=Warning --Shutdown:DrainDelaySeconds=0 &
  pid=$!
  until curl -sf -o /dev/null "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "the service exited before answering" >&2; exit 1; fi
    sleep 0.01
  done
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  rss=$(ps -o rss= -p "$pid" | tr -d ' ')
  # CPU time the process used to get there (user + system): unlike wall time, it barely moves when the machine is busy.
  cpu=$(awk -v tck="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / tck)}' "/proc/$pid/stat")
  kill -TERM "$pid"; wait "$pid" || true
  echo "run ${run}: first 200 after ${ms} ms (CPU ${cpu} ms), RSS ${rss} KiB"
  times+=("$ms"); rsss+=("$rss"); cpus+=("$cpu")
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "median: first 200 after $(median "${times[@]}") ms (CPU $(median "${cpus[@]}") ms), RSS $(median "${rsss[@]}") KiB ($(( $(median "${rsss[@]}") / 1024 )) MiB)"
