# The setup bench/profile-request.sh and bench/ab-gateway.sh share (sourced, not run): the 1 KB backend, the user's
# manifests with a fresh certificate, and gateways started on free 127.0.0.1 ports. Everything started is stopped by
# PID when the sourcing script exits.
#
# Needs ROOT (the repository) set by the caller; sets HOST, SVC_HOST, BENCH, WORK, PIDS and BACKEND_PORT.

HOST=httpsserver.kuopenx.io
SVC_HOST=httpserver.httpserver.svc.cluster.local
BENCH="$ROOT/bench/Ingress.Bench/bin/Release/net10.0/ingress-bench"
WORK="$(mktemp -d /tmp/ingress-bench-fixture.XXXXXX)"
PIDS=()

fixture_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2> /dev/null; wait "$pid" 2> /dev/null; rm -f "/tmp/perf-$pid.map" "/tmp/perfinfo-$pid.map"; done
  rm -rf "$WORK"
}
trap fixture_cleanup EXIT

FIXTURE_PORTS=" "
free_port() { # sets PORT_OUT to a free 127.0.0.1 port not handed out before in this run (not in $(...): it records it)
  local p=$((20000 + RANDOM % 20000))
  while ss -Htln "sport = :$p" | grep -q . || [[ "$FIXTURE_PORTS" == *" $p "* ]]; do p=$((p + 1)); done
  FIXTURE_PORTS+="$p "
  PORT_OUT=$p
}
wait_http() { local deadline=$(( $(date +%s) + 60 )); while [ "$(date +%s)" -lt "$deadline" ]; do
  [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 "$1")" = 200 ] && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

fixture_check() { # fixture_check TOOL... : the tools and the Release build are there, the TLS name resolves to loopback
  local tool
  for tool in "$@" openssl curl; do command -v "$tool" > /dev/null || { echo "missing $tool" >&2; exit 1; }; done
  [ -x "$BENCH" ] || { echo "missing $BENCH (build in Release first)" >&2; exit 1; }
  # wrk and h2load take the TLS server name from the URL and resolve it themselves.
  grep -qE "^127\.0\.0\.1[[:space:]].*\b$HOST\b" /etc/hosts || echo "127.0.0.1 $HOST" >> /etc/hosts
}

fixture_backend() { # starts the 1 KB backend; sets BACKEND_PORT
  free_port; BACKEND_PORT=$PORT_OUT
  "$BENCH" backend --port "$BACKEND_PORT" --size 1024 > "$WORK/backend.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$BACKEND_PORT/hello" || exit 1
}

fixture_config() { # the user's Gateway and VirtualService (TLS, /test/hello -> /hello) and the Secret, in $WORK/gw
  mkdir -p "$WORK/gw"
  openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj '/O=kuopenx Inc./CN=*.kuopenx.io' \
    -addext "subjectAltName=DNS:$HOST" -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2> /dev/null
  cat > "$WORK/gw/config.yaml" <<EOF
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: httpsserver}
spec:
  gateways: [httpsserver]
  hosts: [$HOST]
  http:
  - match: [{uri: {exact: /test/hello}}]
    rewrite: {uri: /hello}
    route: [{destination: {host: $SVC_HOST, port: {number: 80}}}]
---
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: httpsserver}
spec:
  selector: {istio: ingressgateway}
  servers:
  - hosts: [$HOST]
    port: {name: https-default, number: 443, protocol: HTTPS}
    tls: {mode: SIMPLE, credentialName: httpserver-credential}
---
apiVersion: v1
kind: Secret
metadata: {name: httpserver-credential, namespace: istio-system}
type: kubernetes.io/tls
data:
  tls.crt: $(base64 -w0 "$WORK/tls.crt")
  tls.key: $(base64 -w0 "$WORK/tls.key")
EOF
}

fixture_gateway() { # fixture_gateway NAME INGRESS_EXE [ENV=VALUE...]: starts a gateway; sets GW_PID and GW_URL
  local name="$1" exe="$2"; shift 2
  [ -x "$exe" ] || { echo "missing $exe (build in Release first)" >&2; exit 1; }
  local port admin
  free_port; port=$PORT_OUT
  free_port; admin=$PORT_OUT
  # PerfMapEnabled=3: /tmp/perf-PID.map names the JIT-compiled code; W^X off, or that code runs from a double mapping
  # perf cannot resolve.
  env DOTNET_PerfMapEnabled=3 DOTNET_EnableWriteXorExecute=0 "$@" "$exe" gateway -f "$WORK/gw" --listen "443=127.0.0.1:$port" \
    --endpoint "$SVC_HOST:80=http://127.0.0.1:$BACKEND_PORT" --admin "127.0.0.1:$admin" --access-log off > "$WORK/gateway-$name.log" 2>&1 &
  GW_PID=$!
  PIDS+=("$GW_PID")
  wait_http "http://127.0.0.1:$admin/ready" || { tail -20 "$WORK/gateway-$name.log"; exit 1; }
  GW_URL="https://$HOST:$port/test/hello"
  wait_http "$GW_URL" || exit 1
}
