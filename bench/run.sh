#!/usr/bin/env bash
# One command for every figure in docs/performance.md:
#
#   bash bench/run.sh [--quick|--full] [--sections LIST] [--skip-install] [--skip-build]
#
# Installs the load generators and the other proxies (Debian packages), builds in Release, writes a certificate and
# equivalent nginx / HAProxy / Istio configs, starts one backend, and measures our gateway against nginx and HAProxy
# in one run, alternating the contenders after a warm-up. Everything listens on 127.0.0.1, is bounded in time, and
# the processes it starts are stopped by PID when it ends. Raw output goes to bench/results/<UTC date-time>/,
# tables to summary.md there (docs/performance.md quotes them).
#
# Modes: --quick (a smoke run, about 4 minutes), default (about 11 minutes), --full (long runs and a 10-minute
# soak, about 35 minutes). Sections (comma list, default all, in this order):
#   sat       saturation, HTTP/1.1 keep-alive (wrk) and HTTP/2 (h2load), gateway vs nginx vs HAProxy
#   profile   our gateway at saturation under dotnet-counters: bytes allocated per request, GCs, contention
#   alloc     exact bytes allocated per request by our gateway, in one process (ingress-bench alloc), with the types
#             they are made of (the runtime's allocation sampling), against
#             another build of it when INGRESS_BASELINE_BIN=path is set (e.g. main before a change), rounds alternated
#   rate      fixed 1,000 req/s, 1 KB, TLS, 16 connections (hey -q): CPU s per 1,000 requests, RSS, added latency
#   scale     1, 1,000 and 10,000 routes: throughput and the reload time of the large config
#   startup   exec -> /ready 200, exec -> first proxied 200
#   service   httpserver /hello with tracing+metrics vs a bare Kestrel endpoint (every request sampled, and unsampled)
#   reload    config reloads and certificate rotations under load, failed requests counted
#   drain     SIGTERM to one of two service instances, then to the gateway, under load
#   tls       testssl against the gateway's HTTPS listener
#   malformed oversized / bad / conflicting / slow requests against the three proxies
#   soak      half of saturation for a while (--soak SECONDS sets how long; SOAK_RPS=N the rate when sat is not
#             run), gateway RSS sampled
#   native    the Native AOT release (build/release.sh; NATIVE_DIR=path reuses an unpacked one) against this JIT
#             build, side by side: `ingress analyze` of the seed exec -> exit, gateway exec -> /ready, gateway RSS and
#             CPU at 1,000 req/s, gateway saturation, the service's throughput and RSS under load. Alone:
#             bash bench/run.sh --sections native
# The whole script is one block, so bash parses all of it before running any of it: editing this file while a run
# is going on cannot change what that run does.
{
set -uo pipefail

MODE=standard
SECTIONS="sat,profile,alloc,rate,scale,startup,service,reload,drain,tls,malformed,soak,native"
SOAK_OVERRIDE=
INSTALL=1
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick ;;
    --full) MODE=full ;;
    --sections) SECTIONS="$2"; shift ;;
    --skip-install) INSTALL=0 ;;
    --skip-build) BUILD=0 ;;
    --soak) SOAK_OVERRIDE="$2"; shift ;;
    -h|--help) sed -n '2,/^# The whole script/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

case "$MODE" in
  quick)    WARMUP=10; DUR=5;  ROUNDS=1; RATE_DUR=6;  RELY_DUR=20; SOAK=30;  SLOW=35; STARTUP_RUNS=3; SCALE_SIZES="1 1000 10000" ;;
  standard) WARMUP=30; DUR=7;  ROUNDS=2; RATE_DUR=8;  RELY_DUR=60; SOAK=60;  SLOW=40; STARTUP_RUNS=5; SCALE_SIZES="1 1000 10000" ;;
  full)     WARMUP=60; DUR=20; ROUNDS=3; RATE_DUR=30; RELY_DUR=60; SOAK=600; SLOW=40; STARTUP_RUNS=10; SCALE_SIZES="1 1000 10000" ;;
esac
# --soak SECONDS: the soak's length whatever the mode (e.g. the 10-minute soak in a standard run).
[ -n "$SOAK_OVERRIDE" ] && SOAK="$SOAK_OVERRIDE"
RELOADS=50
ROTATIONS=5
HOST=httpsserver.kuopenx.io
SVC_HOST=httpserver.httpserver.svc.cluster.local

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STAMP="$(date -u +%Y-%m-%dT%H%MZ)"
OUT="$ROOT/bench/results/$STAMP"
WORK="$(mktemp -d /tmp/ingress-bench.XXXXXX)"
mkdir -p "$OUT/raw"
TSV="$OUT/results.tsv"
LOG="$OUT/run.log"
: > "$TSV"
exec > >(tee -a "$LOG") 2>&1

has() { [[ ",$SECTIONS," == *",$1,"* ]]; }
say() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
# record SECTION CONTENDER ROUND METRIC VALUE -> one line of results.tsv (the report reads it back)
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$TSV"; }

# ---------------------------------------------------------------------------------------------------------------
# Processes: every server is started through start_bg, remembered by PID, and stopped by PID (never by name: other
# people's processes run on this machine).
PIDS=()
start_bg() { # start_bg NAME LOGFILE CMD... -> sets BG_PID
  local name="$1" logfile="$2"; shift 2
  "$@" > "$logfile" 2>&1 &
  BG_PID=$!
  PIDS+=("$BG_PID")
  say "started $name pid=$BG_PID"
}
stop_pid() { # stop_pid PID [GRACE_S] -> SIGTERM, wait, SIGKILL
  local pid="$1" grace="${2:-10}" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid" 5; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Free TCP port on 127.0.0.1, starting from a random base so parallel runs rarely collide.
NEXT_PORT=$((20000 + RANDOM % 20000))
free_port() {
  while ss -Htln "sport = :$NEXT_PORT" | grep -q .; do NEXT_PORT=$((NEXT_PORT + 1)); done
  PORT_OUT=$NEXT_PORT; NEXT_PORT=$((NEXT_PORT + 1))
}
wait_http() { # wait_http URL [TIMEOUT_S]: poll (curl) until 200, bounded by a deadline
  local url="$1" deadline=$(( $(date +%s) + ${2:-60} ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null)" = 200 ] && return 0
    sleep 0.05
  done
  say "timeout waiting for $url"; return 1
}

# /proc accounting: CPU ticks and RSS of a process plus its direct children (nginx workers).
CLK_TCK=$(getconf CLK_TCK)
tree_pids() { echo "$1"; ps -o pid= --ppid "$1" 2>/dev/null; }
cpu_ticks() { # utime + stime (fields 14, 15) of the tree
  local total=0 p
  for p in $(tree_pids "$1"); do
    [ -r "/proc/$p/stat" ] || continue
    total=$((total + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}
anon_kb() { local total=0 p; for p in $(tree_pids "$1"); do total=$((total + $(awk '/^Anonymous:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0))); done; echo "$total"; }
rss_kb() { local total=0 p; for p in $(tree_pids "$1"); do total=$((total + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo "$total"; }

# Units: wrk prints 1.23ms / 456.00us / 1.02s -> milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }

# ---------------------------------------------------------------------------------------------------------------
say "ingress bench, mode=$MODE, sections=$SECTIONS, results in $OUT"
{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command: bash bench/run.sh $([ "$MODE" = standard ] || echo "--$MODE ")$([ -n "$SOAK_OVERRIDE" ] && echo "--soak $SOAK_OVERRIDE ")--sections $SECTIONS"
  [ -n "${INGRESS_BASELINE_BIN:-}" ] && echo "baseline: $INGRESS_BASELINE_BIN"
  echo "commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null) $(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo '(with local changes)')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(free -m | awk '/^Mem:/ {print $2 " MiB"}')"
  echo "kernel: $(uname -r)"
  echo "load_before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "durations: warmup=${WARMUP}s measure=${DUR}s rounds=$ROUNDS rate=${RATE_DUR}s reliability=${RELY_DUR}s soak=${SOAK}s"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

if [ "$INSTALL" = 1 ]; then
  need=()
  for pair in nginx:nginx haproxy:haproxy wrk:wrk h2load:nghttp2-client hey:hey testssl:testssl.sh; do
    command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null || { say "apt-get failed"; exit 1; }
  fi
fi
# The .NET runtime's own counters (allocations, GC, lock contention) for the profile section.
export PATH="$PATH:$HOME/.dotnet/tools"
if [ "$INSTALL" = 1 ] && ! command -v dotnet-counters >/dev/null; then
  dotnet tool install -g dotnet-counters --version 10.0.750501 > /dev/null 2>&1 || say "dotnet-counters could not be installed: the profile section is skipped"
fi
for tool in nginx haproxy wrk h2load hey testssl openssl curl; do command -v "$tool" >/dev/null || { say "missing $tool"; exit 1; }; done
{ nginx -v 2>&1; haproxy -v | head -1; wrk --version 2>&1 | head -1; h2load --version; echo "hey (Debian $(dpkg-query -W -f='${Version}' hey 2>/dev/null))"; testssl --version 2>/dev/null | grep -m1 -i 'testssl.sh' ; dotnet --version; } > "$OUT/versions.txt" 2>&1

# wrk and h2load take the TLS SNI from the URL's host name and resolve it themselves: map it to loopback.
grep -qE "^127\.0\.0\.1[[:space:]].*\b$HOST\b" /etc/hosts || { echo "127.0.0.1 $HOST" >> /etc/hosts && say "added '127.0.0.1 $HOST' to /etc/hosts"; }

if [ "$BUILD" = 1 ]; then
  say "building in Release"
  projects=(src/HttpServer bench/Ingress.Bench)
  [ -n "${INGRESS_BIN:-}" ] || projects=(src/Ingress.Cli "${projects[@]}")
  for project in "${projects[@]}"; do
    dotnet build "$ROOT/$project" -c Release -nologo -v q > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; say "build of $project failed"; exit 1; }
  done
fi
# INGRESS_BIN=path measures another build of the gateway (e.g. a branch), without building src/Ingress.Cli here.
INGRESS="${INGRESS_BIN:-$ROOT/src/Ingress.Cli/bin/Release/net10.0/ingress}"
SERVICE="$ROOT/src/HttpServer/bin/Release/net10.0/HttpServer"
BENCH="$ROOT/bench/Ingress.Bench/bin/Release/net10.0/ingress-bench"
for exe in "$INGRESS" "$SERVICE" "$BENCH"; do [ -x "$exe" ] || { say "missing $exe (build first)"; exit 1; }; done

# ---------------------------------------------------------------------------------------------------------------
# Certificate: the user's own openssl command (seed-homework.md), plus a SAN so modern clients can verify it.
make_cert() { # make_cert NAME -> $WORK/NAME.crt, .key
  openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj '/O=kuopenx Inc./CN=*.kuopenx.io' \
    -addext "subjectAltName=DNS:$HOST,DNS:*.kuopenx.io" -keyout "$WORK/$1.key" -out "$WORK/$1.crt" 2>/dev/null
}
secret_yaml() { # secret_yaml NAME -> the Secret as kubectl would write it
  if command -v kubectl >/dev/null; then
    kubectl create secret tls httpserver-credential -n istio-system --cert="$WORK/$1.crt" --key="$WORK/$1.key" --dry-run=client -o yaml
  else
    printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: httpserver-credential\n  namespace: istio-system\ntype: kubernetes.io/tls\ndata:\n  tls.crt: %s\n  tls.key: %s\n' \
      "$(base64 -w0 "$WORK/$1.crt")" "$(base64 -w0 "$WORK/$1.key")"
  fi
}
make_cert tls
cat "$WORK/tls.crt" "$WORK/tls.key" > "$WORK/tls.pem"

# The user's manifests (seed-homework.md, verbatim) and the Secret: what our gateway serves.
seed_config() { # seed_config [EXTRA_ROUTE_PATH]: the seed VirtualService + Gateway, optionally one more exact route
  cat <<EOF
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: httpsserver
spec:
  gateways:
    - httpsserver
  hosts:
    - httpsserver.kuopenx.io
  http:
    - match:
      - uri:
          exact: "/test/hello"
      rewrite:
        uri: "/hello"
      route:
        - destination:
            host: httpserver.httpserver.svc.cluster.local
            port:
              number: 80
    - match:
      - uri:
          prefix: "/test/metrics"
      rewrite:
        uri: "/metrics"
      route:
        - destination:
            host: httpserver.httpserver.svc.cluster.local
            port:
              number: 80
EOF
  if [ -n "${1:-}" ]; then
    cat <<EOF
    - match:
      - uri:
          exact: "$1"
      rewrite:
        uri: "/hello"
      route:
        - destination:
            host: httpserver.httpserver.svc.cluster.local
            port:
              number: 80
EOF
  fi
  cat <<EOF
---
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: httpsserver
spec:
  selector:
    istio: ingressgateway
  servers:
    - hosts:
        - httpsserver.kuopenx.io
      port:
        name: https-default
        number: 443
        protocol: HTTPS
      tls:
        mode: SIMPLE
        credentialName: httpserver-credential
EOF
}

# N routes as hosts x paths. Host 0 is the user's host; its last route is /test/hello (what the load asks for), so
# a request walks past every other route of its host first (first match wins, as in Envoy). A marker route after it
# tells when a reload is live.
scale_config() { # scale_config ROUTES MARKER
  awk -v n="$1" -v marker="$2" -v svc="$SVC_HOST" 'BEGIN {
    per = (n >= 100) ? 100 : n; hosts = int(n / per)
    print "apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata:\n  name: httpsserver\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n    - hosts:"
    for (h = 0; h < hosts; h++) printf "        - %s\n", (h == 0 ? "httpsserver.kuopenx.io" : "h" h ".kuopenx.io")
    print "      port:\n        name: https-default\n        number: 443\n        protocol: HTTPS\n      tls:\n        mode: SIMPLE\n        credentialName: httpserver-credential"
    for (h = 0; h < hosts; h++) {
      name = (h == 0 ? "httpsserver.kuopenx.io" : "h" h ".kuopenx.io")
      printf "---\napiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: vs-%d\nspec:\n  gateways:\n    - httpsserver\n  hosts:\n    - %s\n  http:\n", h, name
      for (p = 0; p < per; p++) {
        path = (h == 0 && p == per - 1) ? "exact: \"/test/hello\"" : "prefix: \"/p" p "/\""
        printf "    - match:\n      - uri:\n          %s\n      rewrite:\n        uri: \"/hello\"\n      route:\n        - destination:\n            host: %s\n            port:\n              number: 80\n", path, svc
      }
      if (h == 0) printf "    - match:\n      - uri:\n          exact: \"%s\"\n      route:\n        - destination:\n            host: %s\n            port:\n              number: 80\n", marker, svc
    }
  }'
}

# ---------------------------------------------------------------------------------------------------------------
# Contenders: one backend; our gateway, nginx and HAProxy in front of it, all terminating TLS for $HOST.
free_port; BACKEND_PORT=$PORT_OUT
free_port; GW_PORT=$PORT_OUT
free_port; GW_ADMIN=$PORT_OUT
free_port; NGINX_PORT=$PORT_OUT
free_port; HAPROXY_PORT=$PORT_OUT
free_port; YARP_PORT=$PORT_OUT
free_port; GW2_PORT=$PORT_OUT
free_port; GW2_ADMIN=$PORT_OUT

start_bg backend "$WORK/backend.log" "$BENCH" backend --port "$BACKEND_PORT" --size 1024
BACKEND_PID=$BG_PID
wait_http "http://127.0.0.1:$BACKEND_PORT/hello" 60 || exit 1

mkdir -p "$WORK/gw" "$WORK/nginx"
seed_config > "$WORK/gw/config.yaml"
secret_yaml tls > "$WORK/gw/secret.yaml"
GW_ARGS=(gateway -f "$WORK/gw" --listen "443=127.0.0.1:$GW_PORT" --endpoint "$SVC_HOST:80=http://127.0.0.1:$BACKEND_PORT"
         --admin "127.0.0.1:$GW_ADMIN" --access-log off)
start_bg gateway "$WORK/gateway.log" "$INGRESS" "${GW_ARGS[@]}"
GW_PID=$BG_PID
if ! wait_http "http://127.0.0.1:$GW_ADMIN/ready" 60; then
  say "the gateway did not become ready; its output:"; tail -30 "$WORK/gateway.log"; exit 1
fi
# The same gateway with YARP's HttpClient on every cluster instead of the dedicated HTTP/1.1 client (issue 16).
GW2_ARGS=(gateway -f "$WORK/gw" --listen "443=127.0.0.1:$GW2_PORT" --endpoint "$SVC_HOST:80=http://127.0.0.1:$BACKEND_PORT"
          --admin "127.0.0.1:$GW2_ADMIN" --access-log off)
start_bg gateway-yarp "$WORK/gateway-yarp.log" env INGRESS_UPSTREAM_HTTP1=yarp "$INGRESS" "${GW2_ARGS[@]}"
GW2_PID=$BG_PID
wait_http "http://127.0.0.1:$GW2_ADMIN/ready" 60 || { tail -30 "$WORK/gateway-yarp.log"; exit 1; }

# nginx: TLS termination, /test/hello exact with a rewrite, keep-alive upstream pool, no access log (as ours).
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
user root;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  client_header_timeout 30s;
  keepalive_requests 100000;
  upstream httpserver { server 127.0.0.1:$BACKEND_PORT; keepalive 64; }
  ssl_certificate $WORK/tls.crt;
  ssl_certificate_key $WORK/tls.key;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:SSL:10m;
  server {
    listen 127.0.0.1:$NGINX_PORT ssl http2 default_server;
    server_name _;
    return 404;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT ssl http2;
    server_name $HOST;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $SVC_HOST;
    proxy_set_header X-Forwarded-For \$remote_addr;
    proxy_set_header X-Forwarded-Proto https;
    proxy_set_header X-Request-Id \$request_id;
    location = /test/hello { proxy_pass http://httpserver/hello; }
    location ^~ /test/metrics { rewrite ^/test/metrics(.*)\$ /metrics\$1 break; proxy_pass http://httpserver; }
    location / { return 404; }
  }
}
EOF
nginx -t -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" > "$WORK/nginx-test.log" 2>&1 || { cat "$WORK/nginx-test.log"; exit 1; }
start_bg nginx "$WORK/nginx.log" nginx -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" -g 'daemon off;'
NGINX_PID=$BG_PID

# HAProxy: the same routes; one process with a thread per core (its default), keep-alive and connection reuse.
cat > "$WORK/haproxy.cfg" <<EOF
global
  maxconn 8000
  ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  timeout http-request 30s
  timeout http-keep-alive 30s
frontend https
  bind 127.0.0.1:$HAPROXY_PORT ssl crt $WORK/tls.pem alpn h2,http/1.1
  unique-id-format %{+X}o\ %ci%cp%fp%Ts%rt%pid
  unique-id-header X-Request-Id
  option forwardfor
  http-request set-header X-Forwarded-Proto https
  acl user_host req.hdr(host),field(1,:) -i $HOST
  http-request set-var(txn.route) str(hello) if user_host { path /test/hello }
  http-request set-var(txn.route) str(metrics) if user_host { path_beg /test/metrics }
  http-request return status 404 unless { var(txn.route) -m found }
  http-request set-path /hello if { var(txn.route) -m str hello }
  http-request set-path %[path,regsub(^/test/metrics,/metrics)] if { var(txn.route) -m str metrics }
  http-request set-header Host $SVC_HOST
  default_backend httpserver
backend httpserver
  server s1 127.0.0.1:$BACKEND_PORT maxconn 1000
EOF
haproxy -c -f "$WORK/haproxy.cfg" > "$WORK/haproxy-test.log" 2>&1 || { cat "$WORK/haproxy-test.log"; exit 1; }
start_bg haproxy "$WORK/haproxy.log" haproxy -db -f "$WORK/haproxy.cfg"
HAPROXY_PID=$BG_PID

# Plain YARP: Kestrel TLS + YARP's forwarder and the one route, nothing else: the floor of a YARP-based gateway.
start_bg yarp "$WORK/yarp.log" "$BENCH" yarp --port "$YARP_PORT" --backend "http://127.0.0.1:$BACKEND_PORT" --cert "$WORK/tls.crt" --key "$WORK/tls.key"
YARP_PID=$BG_PID

for c in gateway gateway-yarp nginx haproxy yarp; do
  port_var="${c^^}_PORT"; [ "$c" = gateway ] && port_var=GW_PORT; [ "$c" = gateway-yarp ] && port_var=GW2_PORT
  wait_http "https://$HOST:${!port_var}/test/hello" 60 || { say "$c does not answer /test/hello"; exit 1; }
done
cp "$WORK/nginx/nginx.conf" "$OUT/nginx.conf"; cp "$WORK/haproxy.cfg" "$OUT/haproxy.cfg"; cp "$WORK/gw/config.yaml" "$OUT/istio-gateway.yaml"
sed -i "s#$WORK#\$WORK#g" "$OUT/nginx.conf" "$OUT/haproxy.cfg"
{ echo "# ${GW_ARGS[*]}" | sed "s#$WORK#\$WORK#g"; } >> "$OUT/istio-gateway.yaml"

url_for() { # url_for CONTENDER [PATH]
  local path="${2:-/test/hello}"
  case "$1" in
    gateway) echo "https://$HOST:$GW_PORT$path" ;;
    gateway-yarp) echo "https://$HOST:$GW2_PORT$path" ;;
    nginx) echo "https://$HOST:$NGINX_PORT$path" ;;
    haproxy) echo "https://$HOST:$HAPROXY_PORT$path" ;;
    yarp) echo "https://$HOST:$YARP_PORT$path" ;;
    direct) echo "http://127.0.0.1:$BACKEND_PORT/hello" ;;
  esac
}
pid_for() { case "$1" in gateway) echo "$GW_PID" ;; gateway-yarp) echo "$GW2_PID" ;; nginx) echo "$NGINX_PID" ;; haproxy) echo "$HAPROXY_PID" ;; yarp) echo "$YARP_PID" ;; direct) echo "$BACKEND_PID" ;; esac; }

# run_wrk SECTION CONTENDER ROUND URL CONNECTIONS DURATION [EXTRA...] -> records rps, p50, p99, errors
run_wrk() {
  local section="$1" c="$2" round="$3" url="$4" conns="$5" dur="$6"; shift 6
  local file="$OUT/raw/$section-$c-r$round-wrk.txt"
  mkdir -p "$OUT/raw"
  timeout $((dur + 30)) wrk -t2 -c"$conns" -d"${dur}s" --latency "$@" "$url" > "$file" 2>&1
  local rps p50 p99 sock non2xx
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$file")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$file")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$file")")
  sock=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$file")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$file")
  record "$section" "$c" "$round" h1_rps "${rps:-0}"
  record "$section" "$c" "$round" h1_p50_ms "$p50"
  record "$section" "$c" "$round" h1_p99_ms "$p99"
  record "$section" "$c" "$round" h1_errors "$(( ${sock:-0} + ${non2xx:-0} ))"
  say "  $section $c r$round wrk: ${rps:-?} req/s p50=${p50}ms p99=${p99}ms errors=$(( ${sock:-0} + ${non2xx:-0} ))"
}

# run_h2load SECTION CONTENDER ROUND URL DURATION -> h2load prints no percentiles: they come from its per-request log.
run_h2load() {
  local section="$1" c="$2" round="$3" url="$4" dur="$5"
  local file="$OUT/raw/$section-$c-r$round-h2load.txt" reqlog="$WORK/h2load-requests.log"
  mkdir -p "$OUT/raw"
  timeout $((dur + 30)) h2load -t2 -c32 -m10 -D "$dur" --log-file="$reqlog" "$url" > "$file" 2>&1
  local rps ok failed p50 p99
  rps=$(awk '/^finished in/ {gsub(",", ""); print $4}' "$file")
  ok=$(awk '/^status codes:/ {print $3}' "$file")
  failed=$(awk '/^requests:/ {gsub(",", ""); print $10 + $12 + $14}' "$file")
  read -r p50 p99 < <(cut -f3 "$reqlog" | sort -n | awk '{v[NR] = $1} END { if (NR == 0) { print "0 0"; exit }
      i50 = int(NR * 0.50); i99 = int(NR * 0.99); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1
      printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }')
  record "$section" "$c" "$round" h2_rps "${rps:-0}"
  record "$section" "$c" "$round" h2_p50_ms "$p50"
  record "$section" "$c" "$round" h2_p99_ms "$p99"
  record "$section" "$c" "$round" h2_errors "${failed:-0}"
  say "  $section $c r$round h2load: ${rps:-?} req/s p50=${p50}ms p99=${p99}ms failed=${failed:-?} (2xx=${ok:-?})"
  rm -f "$reqlog"
}

warm() { # warm URL SECONDS [CONNECTIONS]: load that is not recorded (tiered JIT settles)
  say "warm-up ${2}s on $1"
  timeout $(($2 + 30)) wrk -t2 -c"${3:-64}" -d"${2}s" "$1" > /dev/null 2>&1
}
order_for_round() { # rotates the contenders so none always runs first
  local -a list=("$@"); local n=${#list[@]} shift_by=$(( (ROUND - 1) % ${#list[@]} )) i
  for ((i = 0; i < n; i++)); do echo "${list[$(( (i + shift_by) % n ))]}"; done
}

# ---------------------------------------------------------------------------------------------------------------
if has sat; then
  say "== saturation: HTTP/1.1 keep-alive (wrk -t2 -c64) and HTTP/2 (h2load -t2 -c32 -m10), ${DUR}s each, $ROUNDS rounds"
  record meta load - load_at_sat "$(cut -d' ' -f1 /proc/loadavg)"
  # the two .NET contenders at once (each gets JIT-compiled and tiered up; neither is measured here)
  say "warm-up ${WARMUP}s on our gateway (both upstream clients) and plain YARP together"
  timeout $((WARMUP + 30)) wrk -t1 -c32 -d"${WARMUP}s" "$(url_for yarp)" > /dev/null 2>&1 &
  yarp_warm=$!
  timeout $((WARMUP + 30)) wrk -t1 -c32 -d"${WARMUP}s" "$(url_for gateway-yarp)" > /dev/null 2>&1 &
  gw2_warm=$!
  warm "$(url_for gateway)" "$WARMUP" 32
  wait "$yarp_warm" "$gw2_warm"
  # HTTP/2 runs other code (Kestrel's HTTP/2 stack): warm it too, shorter.
  for c in gateway gateway-yarp yarp; do timeout 60 h2load -t2 -c32 -m10 -D $((WARMUP / 3)) "$(url_for "$c")" > /dev/null 2>&1; done
  warm "$(url_for nginx)" 5; warm "$(url_for haproxy)" 5
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    for c in $(order_for_round gateway gateway-yarp nginx haproxy yarp); do
      run_wrk sat "$c" "$ROUND" "$(url_for "$c")" 64 "$DUR"
      run_h2load sat "$c" "$ROUND" "$(url_for "$c")" "$DUR"
    done
    run_wrk sat direct "$ROUND" "$(url_for direct)" 64 "$DUR"
  done
fi

if has profile && command -v dotnet-counters >/dev/null; then
  say "== profile: our gateway at saturation (wrk -c64, ${DUR}s) with dotnet-counters (System.Runtime)"
  counters="$OUT/raw/profile-gateway-counters.csv"; rm -f "$counters"
  timeout $((DUR + 60)) dotnet-counters collect --process-id "$GW_PID" --counters System.Runtime --format csv -o "$counters" \
    --duration "00:00:$(printf '%02d' $((DUR + 4)))" > "$WORK/counters.log" 2>&1 &
  COUNTERS_PID=$!
  sleep 2
  before=$(cpu_ticks "$GW_PID")
  run_wrk profile gateway 1 "$(url_for gateway)" 64 "$DUR"
  after=$(cpu_ticks "$GW_PID")
  wait "$COUNTERS_PID"
  requests=$(awk '/requests in/ {print $1}' "$OUT/raw/profile-gateway-r1-wrk.txt")
  if [ -s "$counters" ] && [ "${requests:-0}" -gt 0 ]; then
    sum_counter() { awk -F, -v name="$1" 'index($3, name) == 1 {s += $5} END {printf "%.10g", s}' "$counters"; }
    record profile gateway - alloc_bytes_per_request "$(awk -v a="$(sum_counter 'dotnet.gc.heap.total_allocated')" -v n="$requests" 'BEGIN {printf "%.0f", a / n}')"
    record profile gateway - gen0_collections "$(sum_counter 'dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen0]')"
    record profile gateway - gen1_collections "$(sum_counter 'dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen1]')"
    record profile gateway - gen2_collections "$(sum_counter 'dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen2]')"
    record profile gateway - gc_pause_s "$(sum_counter 'dotnet.gc.pause.time')"
    record profile gateway - lock_contentions "$(sum_counter 'dotnet.monitor.lock_contentions')"
    record profile gateway - exceptions "$(sum_counter 'dotnet.exceptions')"
    record profile gateway - jit_time_s "$(sum_counter 'dotnet.jit.compilation.time')"
    record profile gateway - cpu_ms_per_request "$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN {printf "%.4f", t / hz / n * 1000}')"
    record profile gateway - threadpool_threads_max "$(awk -F, 'index($3, "dotnet.thread_pool.thread.count") == 1 && $5 > m {m = $5} END {print m + 0}' "$counters")"
    say "  profile: $(grep -P '^profile\t' "$TSV" | cut -f4,5 | tr '\t\n' '= ')"
  else
    say "  profile: no counters collected ($(tail -2 "$WORK/counters.log" | tr '\n' ' '))"
  fi
fi

if has alloc; then
  # Exact bytes allocated per request by the gateway build(s), loaded into one process by ingress-bench (own load
  # context each) with a backend and a client; the client-and-backend cost is subtracted. Counters sampled from
  # outside (dotnet-counters) lose intervals on a busy machine; this count does not depend on the load.
  say "== alloc: bytes allocated per request (in-process, exact)$([ -n "${INGRESS_BASELINE_BIN:-}" ] && echo ", against $INGRESS_BASELINE_BIN")"
  alloc_args=(--gateway-dir "$(dirname "$INGRESS")" --requests 10000 --rounds "$((ROUNDS + 1))" --types yes)
  [ -n "${INGRESS_BASELINE_BIN:-}" ] && alloc_args+=(--baseline-dir "$(dirname "$INGRESS_BASELINE_BIN")")
  timeout 900 "$BENCH" alloc "${alloc_args[@]}" > "$OUT/raw/alloc-inprocess.txt" 2>&1
  sed -n 's/^alloc target=\([^ ]*\) round=\([^ ]*\) requests=[^ ]* process_bytes_per_request=\([^ ]*\) gateway_bytes_per_request=\([^ ]*\)$/\1 \2 \3 \4/p' \
    "$OUT/raw/alloc-inprocess.txt" | while read -r target round process gateway; do
      record alloc "$target" "$round" process_bytes_per_request "$process"
      [ "$target" = direct ] || record alloc "$target" "$round" gateway_bytes_per_request "$gateway"
    done
  say "  $(grep -c '^alloc ' "$OUT/raw/alloc-inprocess.txt") measurements; $(tail -1 "$OUT/raw/alloc-inprocess.txt")"
fi

if has rate; then
  # hey takes the TLS server name from its Host header (-host); without it, it sends "host:port" as SNI, which an
  # SNI-strict listener (ours, like Envoy's) refuses.
  say "== fixed rate: 1,000 req/s (hey -c 16 -q 62.5), 1 KB, HTTP/1.1 keep-alive, ${RATE_DUR}s each, $ROUNDS rounds"
  [ "$MODE" = quick ] || { warm "$(url_for gateway)" 10; warm "$(url_for gateway-yarp)" 10; }
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    for c in $(order_for_round direct gateway gateway-yarp nginx haproxy yarp); do
      file="$OUT/raw/rate-$c-r$ROUND-hey.txt"; mkdir -p "$OUT/raw"
      pid=$(pid_for "$c"); before=$(cpu_ticks "$pid"); before_backend=$(cpu_ticks "$BACKEND_PID")
      timeout $((RATE_DUR + 30)) hey -z "${RATE_DUR}s" -c 16 -q 62.5 -disable-compression $([ "$c" = direct ] || echo "-host $HOST") "$(url_for "$c")" > "$file" 2>&1
      after=$(cpu_ticks "$pid"); after_backend=$(cpu_ticks "$BACKEND_PID"); rss=$(rss_kb "$pid")
      total=$(awk '/^  \[[0-9]+\]/ {n += $2} END {print n + 0}' "$file")
      ok=$(awk '/^  \[2[0-9][0-9]\]/ {n += $2} END {print n + 0}' "$file")
      errors=$(awk '/^Error distribution:/ {e = 1; next} e && /\[[0-9]+\]/ {gsub(/[\[\]]/, "", $1); n += $1} END {print n + 0}' "$file")
      pct() { awk -v p="$1" '$1 == p "%" && $2 == "in" {printf "%.3f", $3 * 1000}' "$file"; }
      cpu_s=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" 'BEGIN {printf "%.3f", t / hz}')
      per1000=$(awk -v s="$cpu_s" -v n="$total" 'BEGIN {if (n > 0) printf "%.4f", s / n * 1000; else print "n/a"}')
      record rate "$c" "$ROUND" rps "$(awk -v n="$total" -v d="$RATE_DUR" 'BEGIN {printf "%.1f", n / d}')"
      record rate "$c" "$ROUND" p50_ms "$(pct 50)"
      record rate "$c" "$ROUND" p90_ms "$(pct 90)"
      record rate "$c" "$ROUND" p99_ms "$(pct 99)"
      record rate "$c" "$ROUND" errors "$(( total - ok + errors ))"
      record rate "$c" "$ROUND" cpu_s_per_1000 "$per1000"
      record rate "$c" "$ROUND" rss_mb "$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')"
      # RSS counts mapped runtime/framework files in full; the anonymous part is the process's own memory.
      record rate "$c" "$ROUND" anon_mb "$(awk -v k="$(anon_kb "$pid")" 'BEGIN {printf "%.1f", k / 1024}')"
      record rate "$c" "$ROUND" backend_cpu_s_per_1000 "$(awk -v t=$((after_backend - before_backend)) -v hz="$CLK_TCK" -v n="$total" 'BEGIN {printf "%.4f", (n > 0 ? t / hz / n * 1000 : 0)}')"
      say "  rate $c r$ROUND: $total requests, p50=$(pct 50) p90=$(pct 90) p99=$(pct 99) ms, cpu=${cpu_s}s (${per1000}/1000 req), rss=$((rss / 1024)) MB"
    done
  done
fi

if has scale; then
  say "== scale: routes as hosts x paths, the request matching its host's last route; reload by rewriting the file"
  SCALE_MARK=0
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    for n in $SCALE_SIZES; do
      SCALE_MARK=$((SCALE_MARK + 1)); marker="/bench/marker-$SCALE_MARK"
      scale_config "$n" "$marker" > "$WORK/scale-$n.yaml"
      file="$OUT/raw/scale-$n-r$ROUND-reload.txt"; mkdir -p "$OUT/raw"
      "$BENCH" reload --target "$WORK/gw/config.yaml" --source "$WORK/scale-$n.yaml" \
        --probe "https://$HOST:$GW_PORT$marker" --connect 127.0.0.1 --timeout 120 > "$file" 2>&1
      reload_ms=$(sed -n 's/^reload_ms=\([0-9.]*\)$/\1/p' "$file")
      record scale "$n" "$ROUND" reload_ms "${reload_ms:-timeout}"
      record scale "$n" "$ROUND" config_kb "$(( $(stat -c %s "$WORK/scale-$n.yaml") / 1024 ))"
      say "  scale $n routes: reload ${reload_ms:-TIMEOUT} ms"
      warm "$(url_for gateway)" 3
      run_wrk scale "$n" "$ROUND" "$(url_for gateway)" 64 "$DUR"
      record scale "$n" "$ROUND" rss_mb "$(awk -v k="$(rss_kb "$GW_PID")" 'BEGIN {printf "%.1f", k / 1024}')"
    done
  done
  # back to the user's config for what follows
  seed_config > "$WORK/seed-back.yaml"
  "$BENCH" reload --target "$WORK/gw/config.yaml" --source "$WORK/seed-back.yaml" --probe "https://$HOST:$GW_PORT/bench/marker-$SCALE_MARK" \
    --connect 127.0.0.1 --expect 404 --timeout 120 > /dev/null 2>&1
fi

if has startup; then
  say "== start-up: exec -> /ready 200 and -> first proxied 200 ($STARTUP_RUNS runs, polling every 2 ms)"
  free_port; sp=$PORT_OUT; free_port; sa=$PORT_OUT
  # The same gateway published ReadyToRun (its own assemblies and packages compiled ahead of time): how much of the
  # start-up is the JIT. Skipped, and said so, when the publish fails.
  variants="seed 10000"
  if [ -z "${INGRESS_BIN:-}" ] && dotnet publish "$ROOT/src/Ingress.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
      -o "$WORK/r2r" -nologo -v q > "$WORK/publish-r2r.log" 2>&1; then
    variants="seed seed-r2r 10000"
  else
    say "  ReadyToRun publish skipped or failed (see $WORK/publish-r2r.log): no seed-r2r row"
  fi
  for variant in $variants; do
    mkdir -p "$WORK/startup-$variant"
    cp "$WORK/gw/secret.yaml" "$WORK/startup-$variant/"
    exe="$INGRESS"; [ "$variant" = seed-r2r ] && exe="$WORK/r2r/ingress"
    if [ "$variant" = 10000 ]; then scale_config 10000 /bench/marker > "$WORK/startup-$variant/config.yaml"; runs=3
    else seed_config > "$WORK/startup-$variant/config.yaml"; runs=$STARTUP_RUNS; fi
    file="$OUT/raw/startup-$variant.txt"; mkdir -p "$OUT/raw"
    "$BENCH" startup --runs "$runs" --admin "http://127.0.0.1:$sa/ready" --probe "https://$HOST:$sp/test/hello" --connect 127.0.0.1 --timeout 120 \
      -- "$exe" gateway -f "$WORK/startup-$variant" --listen "443=127.0.0.1:$sp" --endpoint "$SVC_HOST:80=http://127.0.0.1:$BACKEND_PORT" \
         --admin "127.0.0.1:$sa" --access-log off > "$file" 2>&1
    cat "$file"
    line=$(grep '^startup median' "$file")
    record startup "$variant" - ready_ms "$(sed -n 's/.* ready_ms=\([0-9.]*\).*/\1/p' <<< "$line")"
    record startup "$variant" - first_200_ms "$(sed -n 's/.* first_200_ms=\([0-9.]*\).*/\1/p' <<< "$line")"
  done
  # The floor: a bare Kestrel endpoint (ingress-bench backend, workstation GC as the gateway) from exec to its first 200.
  free_port; bp=$PORT_OUT
  file="$OUT/raw/startup-bare-kestrel.txt"
  "$BENCH" startup --runs "$STARTUP_RUNS" --admin "http://127.0.0.1:$bp/hello" --probe "http://127.0.0.1:$bp/hello" --timeout 120 \
    -- env DOTNET_gcServer=0 "$BENCH" backend --port "$bp" --size 1024 > "$file" 2>&1
  cat "$file"
  line=$(grep '^startup median' "$file")
  record startup bare-kestrel - ready_ms "$(sed -n 's/.* ready_ms=\([0-9.]*\).*/\1/p' <<< "$line")"
  record startup bare-kestrel - first_200_ms "$(sed -n 's/.* first_200_ms=\([0-9.]*\).*/\1/p' <<< "$line")"
fi

if has service; then
  say "== the service: /hello with tracing + metrics (+ access log) vs a bare Kestrel endpoint, wrk -c64"
  free_port; bare=$PORT_OUT; free_port; svc=$PORT_OUT; free_port; svc_nolog=$PORT_OUT; free_port; sink=$PORT_OUT
  start_bg otlp-sink "$WORK/sink.log" "$BENCH" backend --port "$sink" --body ok
  start_bg bare-kestrel "$WORK/bare.log" "$BENCH" backend --port "$bare" --body "hello."
  BARE_PID=$BG_PID
  # Tracing and metrics exported over OTLP/HTTP to a local sink every few seconds, Prometheus metrics on, the access
  # log on (its default, written to a file as a container's stdout would be).
  start_bg service "$WORK/service.log" env ASPNETCORE_URLS="http://127.0.0.1:$svc" OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink" \
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_BSP_SCHEDULE_DELAY=1000 "$SERVICE"
  SVC_PID=$BG_PID
  start_bg service-no-access-log "$WORK/service-nolog.log" env ASPNETCORE_URLS="http://127.0.0.1:$svc_nolog" OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink" \
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_BSP_SCHEDULE_DELAY=1000 AccessLog__Format=Off "$SERVICE"
  SVC_NOLOG_PID=$BG_PID
  for u in "http://127.0.0.1:$bare/hello" "http://127.0.0.1:$svc/hello" "http://127.0.0.1:$svc_nolog/hello"; do wait_http "$u" 60 || exit 1; done
  say "warm-up ${WARMUP}s, the three at once"
  warm_pids=()
  for u in "http://127.0.0.1:$bare/hello" "http://127.0.0.1:$svc/hello" "http://127.0.0.1:$svc_nolog/hello"; do
    timeout $((WARMUP + 30)) wrk -t1 -c16 -d"${WARMUP}s" "$u" > /dev/null 2>&1 &
    warm_pids+=($!)
  done
  wait "${warm_pids[@]}"
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    # service: every request is a new root, so all are sampled, recorded and exported (the worst case).
    # service-mesh-unsampled: the same instance, each request carrying an unsampled W3C parent, as most requests
    # arrive in a mesh whose edge samples 1 % (Istio's default): the service honours the caller's decision.
    for c in $(order_for_round bare-kestrel service service-no-access-log service-mesh-unsampled); do
      case "$c" in
        bare-kestrel) run_wrk service "$c" "$ROUND" "http://127.0.0.1:$bare/hello" 64 "$DUR" ;;
        service) run_wrk service "$c" "$ROUND" "http://127.0.0.1:$svc/hello" 64 "$DUR" ;;
        service-no-access-log) run_wrk service "$c" "$ROUND" "http://127.0.0.1:$svc_nolog/hello" 64 "$DUR" ;;
        service-mesh-unsampled) run_wrk service "$c" "$ROUND" "http://127.0.0.1:$svc/hello" 64 "$DUR" \
          -H "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00" ;;
      esac
    done
  done
  record service service - rss_mb "$(awk -v k="$(rss_kb "$SVC_PID")" 'BEGIN {printf "%.1f", k / 1024}')"
  record service bare-kestrel - rss_mb "$(awk -v k="$(rss_kb "$BARE_PID")" 'BEGIN {printf "%.1f", k / 1024}')"
  head -c 2000 "$WORK/service.log" > "$OUT/raw/service-stdout-head.txt"
  stop_pid "$SVC_PID"; stop_pid "$SVC_NOLOG_PID"; stop_pid "$BARE_PID"
fi

# wrk with a script that counts every status, so a 503 in a reliability run cannot hide among 2xx.
cat > "$WORK/count.lua" <<'EOF'
-- global (not local): done() reads each thread's copy through thread:get("counts")
counts = {}
response = function(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do for s, n in pairs(t:get("counts") or {}) do total[s] = (total[s] or 0) + n end end
  local line = "status counts:"
  for s, n in pairs(total) do line = line .. " " .. s .. "=" .. n end
  print(line)
end
EOF
# reliability_wrk NAME URL DURATION: background wrk with status counts; sets REL_PID, REL_FILE
reliability_wrk() {
  REL_FILE="$OUT/raw/$1-wrk.txt"; mkdir -p "$OUT/raw"
  timeout $(($3 + 30)) wrk -t2 -c16 -d"${3}s" --latency -s "$WORK/count.lua" "$2" > "$REL_FILE" 2>&1 &
  REL_PID=$!
}
reliability_record() { # reliability_record NAME: non-2xx and socket errors from REL_FILE
  local non2xx sock connect other statuses
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$REL_FILE")
  connect=$(awk '/Socket errors:/ {gsub(",", ""); print $4}' "$REL_FILE")
  other=$(awk '/Socket errors:/ {gsub(",", ""); print $6 + $8 + $10}' "$REL_FILE")
  statuses=$(grep '^status counts:' "$REL_FILE" | cut -d: -f2-)
  record reliability "$1" - requests "$(awk '/requests in/ {print $1}' "$REL_FILE")"
  record reliability "$1" - non2xx "${non2xx:-0}"
  record reliability "$1" - connect_errors "${connect:-0}"
  record reliability "$1" - read_write_timeout_errors "${other:-0}"
  record reliability "$1" - statuses "${statuses:- none}"
  say "  $1: $(awk '/requests in/ {print $1}' "$REL_FILE") requests, non-2xx=${non2xx:-0}, connect errors=${connect:-0}, read/write/timeout=${other:-0}, statuses:${statuses}"
}

# reload_run NAME MODE DURATION RELOADS ROTATIONS: wrk through the gateway while the config file is rewritten RELOADS
# times and the Secret ROTATIONS times, evenly spread. MODE atomic = write a temp file and rename it over (what
# kubectl-style tools and most editors do); inplace = truncate and write the file itself (`cat > file`).
reload_run() {
  local name="$1" mode="$2" dur="$3" reloads="$4" rotations="$5" events gap rotation=0 e every version_before version_after served expected
  for ((e = 1; e <= rotations; e++)); do [ -f "$WORK/secret-rot$e.yaml" ] || { make_cert "rot$e"; secret_yaml "rot$e" > "$WORK/secret-rot$e.yaml"; }; done
  put() { # put SOURCE TARGET
    if [ "$mode" = atomic ]; then cat "$1" > "$WORK/put.tmp" && mv -f "$WORK/put.tmp" "$2"; else cat "$1" > "$2"; fi
  }
  version_before=$(curl -s "http://127.0.0.1:$GW_ADMIN/config_dump" | jq -r '.version // .Version // empty' 2>/dev/null)
  reliability_wrk "$name" "$(url_for gateway)" "$dur"
  events=$((reloads + rotations)); gap=$(awk -v d="$dur" -v e="$events" 'BEGIN {printf "%.3f", (d - 4) / e}')
  every=$(( (events + rotations - 1) / rotations ))
  sleep 2
  for ((e = 1; e <= events; e++)); do
    if (( e % every == 0 && rotation < rotations )); then
      rotation=$((rotation + 1)); put "$WORK/secret-rot$rotation.yaml" "$WORK/gw/secret.yaml"
      echo "$(date -u +%H:%M:%S.%N) $name rotation $rotation" >> "$OUT/raw/reload-events.txt"
    else
      seed_config "/bench/$name-$e" > "$WORK/next-config.yaml"; put "$WORK/next-config.yaml" "$WORK/gw/config.yaml"
      echo "$(date -u +%H:%M:%S.%N) $name reload $e" >> "$OUT/raw/reload-events.txt"
    fi
    sleep "$gap"
  done
  wait "$REL_PID"
  reliability_record "$name"
  version_after=$(curl -s "http://127.0.0.1:$GW_ADMIN/config_dump" | jq -r '.version // .Version // empty' 2>/dev/null)
  served=$(echo | timeout 10 openssl s_client -connect "127.0.0.1:$GW_PORT" -servername "$HOST" 2>/dev/null | openssl x509 -noout -fingerprint -sha256 2>/dev/null)
  expected=$(openssl x509 -noout -fingerprint -sha256 -in "$WORK/rot$rotations.crt")
  record reliability "$name" - config_versions "${version_before:-?} -> ${version_after:-?}"
  record reliability "$name" - last_rotation_served "$([ "$served" = "$expected" ] && echo yes || echo "NO")"
  record reliability "$name" - listener_closures "$(grep -c 'closed' "$WORK/gateway.log" 2>/dev/null) (cumulative, gateway log)"
  say "  config version ${version_before:-?} -> ${version_after:-?}; last rotated certificate served: $([ "$served" = "$expected" ] && echo yes || echo NO)"
}

if has reload; then
  say "== reloads and certificate rotations under load: $RELOADS reloads + $ROTATIONS rotations in ${RELY_DUR}s (files replaced by rename)"
  reload_run reload atomic "$RELY_DUR" "$RELOADS" "$ROTATIONS"
  say "== the same for a third of the time, files rewritten in place (truncate + write)"
  reload_run reload-inplace inplace $((RELY_DUR / 3)) $((RELOADS / 3)) 2
fi

if has drain; then
  say "== SIGTERM under load: one of two service instances, then a gateway"
  free_port; s1=$PORT_OUT; free_port; s2=$PORT_OUT; free_port; dp=$PORT_OUT; free_port; da=$PORT_OUT
  start_bg service-1 "$WORK/service-1.log" env ASPNETCORE_URLS="http://127.0.0.1:$s1" AccessLog__Format=Off "$SERVICE"; S1_PID=$BG_PID
  start_bg service-2 "$WORK/service-2.log" env ASPNETCORE_URLS="http://127.0.0.1:$s2" AccessLog__Format=Off "$SERVICE"; S2_PID=$BG_PID
  mkdir -p "$WORK/gw-drain"; seed_config > "$WORK/gw-drain/config.yaml"; cp "$WORK/gw/secret.yaml" "$WORK/gw-drain/"
  start_bg gateway-drain "$WORK/gateway-drain.log" "$INGRESS" gateway -f "$WORK/gw-drain" --listen "443=127.0.0.1:$dp" \
    --endpoint "$SVC_HOST:80=http://127.0.0.1:$s1" --endpoint "$SVC_HOST:80=http://127.0.0.1:$s2" --admin "127.0.0.1:$da" --access-log off
  D_PID=$BG_PID
  wait_http "http://127.0.0.1:$s1/hello" 60 && wait_http "http://127.0.0.1:$s2/hello" 60 && wait_http "http://127.0.0.1:$da/ready" 60 \
    && wait_http "https://$HOST:$dp/test/hello" 60 || exit 1
  warm "https://$HOST:$dp/test/hello" 10 16
  reliability_wrk drain-service "https://$HOST:$dp/test/hello" 20
  sleep 5; t0=$(date +%s%N); kill -TERM "$S1_PID"
  wait "$S1_PID" 2>/dev/null; record reliability drain-service - service_exit_s "$(awk -v d=$(( $(date +%s%N) - t0 )) 'BEGIN {printf "%.1f", d / 1e9}')"
  wait "$REL_PID"; reliability_record drain-service
  # Both instances up again, so the gateway's own drain is measured alone.
  start_bg service-1 "$WORK/service-1b.log" env ASPNETCORE_URLS="http://127.0.0.1:$s1" AccessLog__Format=Off "$SERVICE"; S1_PID=$BG_PID
  wait_http "http://127.0.0.1:$s1/hello" 60 || exit 1
  warm "https://$HOST:$dp/test/hello" 3 16
  reliability_wrk drain-gateway "https://$HOST:$dp/test/hello" 15
  sleep 5; t0=$(date +%s%N); kill -TERM "$D_PID"
  wait "$D_PID" 2>/dev/null; code=$?
  record reliability drain-gateway - gateway_exit_s "$(awk -v d=$(( $(date +%s%N) - t0 )) 'BEGIN {printf "%.1f", d / 1e9}')"
  record reliability drain-gateway - gateway_exit_code "$code"
  wait "$REL_PID"; reliability_record drain-gateway
  stop_pid "$S1_PID"; stop_pid "$S2_PID"
fi

if has tls; then
  say "== testssl against the gateway's HTTPS listener (protocols, server defaults, ciphers, vulnerabilities)"
  mkdir -p "$OUT/raw"
  timeout 900 testssl --quiet --color 0 --warnings off --ip 127.0.0.1 --jsonfile "$OUT/raw/testssl-gateway.json" \
    -p -S -P -f -U "$HOST:$GW_PORT" > "$OUT/raw/testssl-gateway.txt" 2>&1
  if [ -s "$OUT/raw/testssl-gateway.json" ]; then
    for sev in CRITICAL HIGH MEDIUM LOW; do
      record tls gateway - "$sev" "$(jq --arg s "$sev" '[.[] | select(.severity == $s)] | length' "$OUT/raw/testssl-gateway.json")"
    done
    jq -r '.[] | select(.severity == "CRITICAL" or .severity == "HIGH" or .severity == "MEDIUM" or .severity == "LOW") | "\(.severity)\t\(.id)\t\(.finding)"' \
      "$OUT/raw/testssl-gateway.json" > "$OUT/raw/testssl-gateway-findings.tsv"
    cat "$OUT/raw/testssl-gateway-findings.tsv"
  else
    record tls gateway - CRITICAL "no result (testssl failed)"
  fi
fi

if has malformed; then
  say "== malformed requests against the three proxies (slow headers bounded at ${SLOW}s)"
  probe_pids=()
  for c in gateway nginx haproxy; do
    timeout $((SLOW + 120)) "$BENCH" malformed --probe "$(url_for "$c")" --connect 127.0.0.1 --slow "$SLOW" > "$OUT/raw/malformed-$c.txt" 2>&1 &
    probe_pids+=($!)
  done
  wait "${probe_pids[@]}"
  for c in gateway nginx haproxy; do
    cat "$OUT/raw/malformed-$c.txt"
    record malformed "$c" - not_rejected "$(grep -c 'verdict=NOT-REJECTED' "$OUT/raw/malformed-$c.txt")"
    # one row per case: status line, who answered (the proxy itself or the backend behind it), verdict
    sed -n 's/^malformed case="\([^"]*\)" result="\([^"]*\)" answered_by=\([^ ]*\) verdict=\(.*\)$/\1\t\2 (\3) \4/p' "$OUT/raw/malformed-$c.txt" |
      while IFS=$'\t' read -r name value; do record malformed_case "$c" "$name" result "$value"; done
    sed -n 's/^malformed case="\(slow headers[^"]*\)" \(.*\)$/\1\t\2/p' "$OUT/raw/malformed-$c.txt" |
      while IFS=$'\t' read -r name value; do record malformed_case "$c" "$name" result "$value"; done
    record malformed "$c" - alive_after "$(grep -q 'alive afterwards.*verdict=ok' "$OUT/raw/malformed-$c.txt" && echo yes || echo NO)"
    kill -0 "$(pid_for "$c")" 2>/dev/null && record malformed "$c" - process_alive yes || record malformed "$c" - process_alive NO
  done
fi

if has soak; then
  half=$(awk -F'\t' '$1 == "sat" && $2 == "gateway" && $4 == "h1_rps" {s += $5; n++} END {if (n) printf "%d", s / n / 2}' "$TSV")
  # SOAK_RPS=N: the rate when this run has no saturation figure (e.g. half of a previous run's, on a subset run).
  if [ -z "$half" ] && [ -n "${SOAK_RPS:-}" ]; then
    half=$SOAK_RPS; say "no saturation figure from this run: soak at SOAK_RPS=$half req/s"
  elif [ -z "$half" ] || [ "$half" -lt 100 ]; then
    half=5000; say "no saturation figure from this run: soak at a fixed $half req/s"
  fi
  say "== soak: ${SOAK}s at $half req/s (half of saturation; h2load --h1 -c16 --rps), gateway RSS every 5 s"
  mkdir -p "$OUT/raw"; : > "$OUT/raw/soak-rss.tsv"
  per_conn=$(( (half + 15) / 16 ))
  timeout $((SOAK + 60)) h2load --h1 -t2 -c16 --rps="$per_conn" -D "$SOAK" "$(url_for gateway)" > "$OUT/raw/soak-h2load.txt" 2>&1 &
  SOAK_PID=$!
  start=$(date +%s)
  while kill -0 "$SOAK_PID" 2>/dev/null; do
    printf '%s\t%s\t%s\n' "$(( $(date +%s) - start ))" "$(rss_kb "$GW_PID")" "$(cpu_ticks "$GW_PID")" >> "$OUT/raw/soak-rss.tsv"
    sleep 5
  done
  wait "$SOAK_PID"
  record soak gateway - target_rps "$half"
  record soak gateway - achieved_rps "$(awk '/^finished in/ {gsub(",", ""); print $4}' "$OUT/raw/soak-h2load.txt")"
  record soak gateway - failed "$(awk '/^requests:/ {gsub(",", ""); print $10 + $12 + $14}' "$OUT/raw/soak-h2load.txt")"
  # RSS: first sample after the first minute (or a fifth of the run) vs the last; MB
  awk -v skip="$(( SOAK >= 300 ? 60 : SOAK / 5 ))" '$1 >= skip {if (!n) first = $2; last = $2; if ($2 > max) max = $2; n++}
      END {printf "%.1f\t%.1f\t%.1f\n", first / 1024, last / 1024, max / 1024}' "$OUT/raw/soak-rss.tsv" > "$WORK/soak.txt"
  read -r first last max < "$WORK/soak.txt"
  record soak gateway - rss_first_mb "$first"; record soak gateway - rss_last_mb "$last"; record soak gateway - rss_max_mb "$max"
  say "  soak: RSS $first MB -> $last MB (max $max MB)"
fi

if has native; then
  say "== native: the Native AOT release against this JIT build, side by side (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  NATIVE="${NATIVE_DIR:-$WORK/native/ingress-linux-x64}"
  if [ -z "${NATIVE_DIR:-}" ]; then
    started=$(date +%s)
    ARTIFACTS="$WORK/native" bash "$ROOT/build/release.sh" linux-x64 --no-tool > "$OUT/raw/native-release.txt" 2>&1 \
      || { tail -30 "$OUT/raw/native-release.txt"; say "native: build/release.sh failed"; exit 1; }
    record native build - release_s "$(( $(date +%s) - started ))"
    say "  build/release.sh (both native publishes): $(( $(date +%s) - started )) s"
  fi
  record native build - ingress_mb "$(du -m "$NATIVE/ingress" | cut -f1)"
  record native build - httpserver_mb "$(du -m "$NATIVE/service/httpserver" | cut -f1)"
  native_exe() { [ "$1" = native ] && echo "$NATIVE/ingress" || echo "$INGRESS"; }
  native_load() { record native meta "$1" load "$(cut -d' ' -f1 /proc/loadavg)"; }

  # 1. A CLI call: `ingress analyze` of the user's manifests, exec to exit (wall clock), alternated.
  native_load analyze
  for ((i = 1; i <= STARTUP_RUNS * 2; i++)); do
    for c in jit native; do
      t0=$(date +%s%N)
      "$(native_exe "$c")" analyze "$ROOT/tests/fixtures/seed" > /dev/null 2>&1
      record native "$c" "$i" analyze_ms "$(( ($(date +%s%N) - t0) / 1000000 ))"
    done
  done
  say "  analyze exec -> exit: jit $(awk -F'\t' '$1 == "native" && $2 == "jit" && $4 == "analyze_ms" {print $5}' "$TSV" | sort -n | tr '\n' ' ')ms;" \
      "native $(awk -F'\t' '$1 == "native" && $2 == "native" && $4 == "analyze_ms" {print $5}' "$TSV" | sort -n | tr '\n' ' ')ms"

  # 2. The gateway: exec -> /ready 200 and -> the first proxied 200, the seed config.
  native_load startup
  free_port; np=$PORT_OUT; free_port; na=$PORT_OUT
  for c in jit native; do
    file="$OUT/raw/native-startup-$c.txt"
    "$BENCH" startup --runs "$STARTUP_RUNS" --admin "http://127.0.0.1:$na/ready" --probe "https://$HOST:$np/test/hello" --connect 127.0.0.1 --timeout 120 \
      -- "$(native_exe "$c")" gateway -f "$WORK/gw" --listen "443=127.0.0.1:$np" --endpoint "$SVC_HOST:80=http://127.0.0.1:$BACKEND_PORT" \
         --admin "127.0.0.1:$na" --access-log off > "$file" 2>&1
    line=$(grep '^startup median' "$file")
    record native "$c" - ready_ms "$(sed -n 's/.* ready_ms=\([0-9.]*\).*/\1/p' <<< "$line")"
    record native "$c" - first_200_ms "$(sed -n 's/.* first_200_ms=\([0-9.]*\).*/\1/p' <<< "$line")"
    say "  gateway $c: $line"
  done

  # 3. Two fresh gateways, one of each build, the same config and backend: warmed together, then measured in turn.
  declare -A NAT_PORT NAT_PID
  for c in jit native; do
    free_port; NAT_PORT[$c]=$PORT_OUT; free_port; admin=$PORT_OUT
    start_bg "gateway-$c" "$WORK/gateway-$c.log" "$(native_exe "$c")" gateway -f "$WORK/gw" --listen "443=127.0.0.1:${NAT_PORT[$c]}" \
      --endpoint "$SVC_HOST:80=http://127.0.0.1:$BACKEND_PORT" --admin "127.0.0.1:$admin" --access-log off
    NAT_PID[$c]=$BG_PID
    wait_http "https://$HOST:${NAT_PORT[$c]}/test/hello" 60 || { tail -20 "$WORK/gateway-$c.log"; exit 1; }
  done
  say "warm-up ${WARMUP}s on both gateways at once"
  timeout $((WARMUP + 30)) wrk -t1 -c32 -d"${WARMUP}s" "https://$HOST:${NAT_PORT[jit]}/test/hello" > /dev/null 2>&1 &
  warm_jit=$!
  timeout $((WARMUP + 30)) wrk -t1 -c32 -d"${WARMUP}s" "https://$HOST:${NAT_PORT[native]}/test/hello" > /dev/null 2>&1
  wait "$warm_jit"
  native_load rate
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    for c in $(order_for_round jit native); do
      file="$OUT/raw/native-rate-$c-r$ROUND-hey.txt"
      before=$(cpu_ticks "${NAT_PID[$c]}")
      timeout $((RATE_DUR + 30)) hey -z "${RATE_DUR}s" -c 16 -q 62.5 -disable-compression -host "$HOST" "https://$HOST:${NAT_PORT[$c]}/test/hello" > "$file" 2>&1
      after=$(cpu_ticks "${NAT_PID[$c]}")
      total=$(awk '/^  \[[0-9]+\]/ {n += $2} END {print n + 0}' "$file")
      record native "$c" "$ROUND" rate_rps "$(awk -v n="$total" -v d="$RATE_DUR" 'BEGIN {printf "%.1f", n / d}')"
      record native "$c" "$ROUND" rate_rss_mb "$(awk -v k="$(rss_kb "${NAT_PID[$c]}")" 'BEGIN {printf "%.1f", k / 1024}')"
      record native "$c" "$ROUND" rate_cpu_s_per_1000 "$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$total" 'BEGIN {if (n > 0) printf "%.4f", t / hz / n * 1000; else print 0}')"
      record native "$c" "$ROUND" rate_p99_ms "$(awk '$1 == "99%" && $2 == "in" {printf "%.3f", $3 * 1000}' "$file")"
      say "  1,000 req/s $c r$ROUND: $total requests, RSS $(( $(rss_kb "${NAT_PID[$c]}") / 1024 )) MB"
    done
  done
  native_load sat
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    for c in $(order_for_round jit native); do
      run_wrk native "gateway-$c" "$ROUND" "https://$HOST:${NAT_PORT[$c]}/test/hello" 64 "$DUR"
    done
  done
  for c in jit native; do record native "$c" - sat_rss_mb "$(awk -v k="$(rss_kb "${NAT_PID[$c]}")" 'BEGIN {printf "%.1f", k / 1024}')"; stop_pid "${NAT_PID[$c]}"; done

  # 4. The service (tracing exported over OTLP to a sink, metrics, access log: its defaults) under wrk -c64.
  free_port; nsink=$PORT_OUT
  start_bg otlp-sink-native "$WORK/sink-native.log" "$BENCH" backend --port "$nsink" --body ok
  NSINK_PID=$BG_PID
  declare -A SVC_PORT_OF SVC_PID_OF
  for c in jit native; do
    free_port; SVC_PORT_OF[$c]=$PORT_OUT
    exe="$SERVICE"; [ "$c" = native ] && exe="$NATIVE/service/httpserver"
    start_bg "service-$c" "$WORK/service-$c.log" env ASPNETCORE_URLS="http://127.0.0.1:${SVC_PORT_OF[$c]}" OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$nsink" \
      OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_BSP_SCHEDULE_DELAY=1000 "$exe"
    SVC_PID_OF[$c]=$BG_PID
    wait_http "http://127.0.0.1:${SVC_PORT_OF[$c]}/hello" 60 || { tail -20 "$WORK/service-$c.log"; exit 1; }
  done
  say "warm-up ${WARMUP}s on both services at once"
  timeout $((WARMUP + 30)) wrk -t1 -c16 -d"${WARMUP}s" "http://127.0.0.1:${SVC_PORT_OF[jit]}/hello" > /dev/null 2>&1 &
  warm_jit=$!
  timeout $((WARMUP + 30)) wrk -t1 -c16 -d"${WARMUP}s" "http://127.0.0.1:${SVC_PORT_OF[native]}/hello" > /dev/null 2>&1
  wait "$warm_jit"
  native_load service
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    for c in $(order_for_round jit native); do
      run_wrk native "service-$c" "$ROUND" "http://127.0.0.1:${SVC_PORT_OF[$c]}/hello" 64 "$DUR"
      record native "service-$c" "$ROUND" rss_mb "$(awk -v k="$(rss_kb "${SVC_PID_OF[$c]}")" 'BEGIN {printf "%.1f", k / 1024}')"
    done
  done
  for c in jit native; do stop_pid "${SVC_PID_OF[$c]}"; done
  stop_pid "$NSINK_PID"
  native_load end
fi

echo "load_after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
# The gateways' own logs (access log off: reloads, listener changes, warnings), capped.
for log in gateway gateway-drain; do [ -f "$WORK/$log.log" ] && tail -c 2000000 "$WORK/$log.log" > "$OUT/raw/$log.log"; done
"$BENCH" report --tsv "$TSV" --machine "$OUT/machine.txt" > "$OUT/summary.md" 2>&1 || say "report failed (see $OUT/summary.md)"
say "done: $OUT/summary.md"
cat "$OUT/summary.md"
exit 0
}
