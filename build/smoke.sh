#!/usr/bin/env bash
# Unpacks a release archive (build/release.sh) in a temporary folder outside the clone and runs it as a user would,
# failing on the first difference:
#   bash build/smoke.sh artifacts/ingress-linux-x64.tar.gz [JIT-INGRESS-DLL]
# 1. `ingress validate` and `ingress analyze` of the user's manifests (tests/fixtures/seed): the native binary prints
#    the same findings and exits with the same code as the JIT build (when its ingress.dll is given).
# 2. `ingress gateway` serves the seed over TLS (the homework's self-signed certificate) in front of the bundled
#    service, and a real curl gets `hello.` through it.
# 3. `ingress up`, started from an empty folder outside any clone, serves the built-in local overlay; its printed curl
#    command gets `hello.`; Ctrl+C (SIGINT) stops it with exit code 0.
# 4. With TOOL_PACKAGES=DIR (build/release.sh's artifacts/packages): the .NET tool installed from that folder
#    (`dotnet tool install --tool-path`), then the same `ingress up` as in 3 through it.
set -euo pipefail
cd "$(dirname "$0")/.."
archive="$(realpath "$1")"
jit="${2:-}"
seed=tests/fixtures/seed
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }
mkdir "$work/unpacked"
tar -xzf "$archive" -C "$work/unpacked"
release="$(find "$work/unpacked" -mindepth 1 -maxdepth 1 -type d | head -1)"
ingress="$release/ingress"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Polls a command until it succeeds, for at most $1 seconds.
until_ok() { local deadline=$((SECONDS + $1)); shift; until "$@" >/dev/null 2>&1; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.2; done; }

[ -x "$ingress" ] || fail "$ingress is not an executable"
[ -z "$(find "$release" -maxdepth 1 -name '*.dll')" ] || fail "a .dll beside ingress: $(ls "$release"/*.dll)"

# 1. validate and analyze, native against JIT.
for command in "validate $seed" "analyze $seed" "analyze -o json $seed"; do
  set +e
  # shellcheck disable=SC2086
  "$ingress" $command >"$work/native.out" 2>&1; native=$?
  set -e
  [ -s "$work/native.out" ] || fail "ingress $command printed nothing"
  if [ -n "$jit" ]; then
    set +e
    # shellcheck disable=SC2086
    dotnet "$jit" $command >"$work/jit.out" 2>&1; expected=$?
    set -e
    [ "$native" -eq "$expected" ] || fail "ingress $command: exit $native natively, $expected in the JIT build"
    diff -u "$work/jit.out" "$work/native.out" || fail "ingress $command: the native output differs from the JIT build's"
  fi
  echo "smoke: ingress $command: exit $native, $(wc -l <"$work/native.out") lines$([ -n "$jit" ] && echo ', same as the JIT build')"
done

# 2. The homework: the seed's Gateway and VirtualService over TLS, with the user's self-signed certificate.
openssl req -x509 -sha256 -nodes -days 1 -newkey rsa:2048 -subj '/O=kuopenx Inc./CN=*.kuopenx.io' \
  -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
cat >"$work/secret.yaml" <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: httpserver-credential
  namespace: istio-system
type: kubernetes.io/tls
data:
  tls.crt: $(base64 -w0 "$work/tls.crt")
  tls.key: $(base64 -w0 "$work/tls.key")
YAML
service_port=$(free_port); https_port=$(free_port); admin_port=$(free_port)
ASPNETCORE_URLS="http://127.0.0.1:$service_port" "$release/service/httpserver" >"$work/service.log" 2>&1 &
pids+=($!)
"$ingress" gateway -f "$seed/httpserver-virtualservice-gateway.yaml" -f "$work/secret.yaml" --default-namespace istio-system \
  --endpoint "httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:$service_port" \
  --listen "443=127.0.0.1:$https_port" --admin "127.0.0.1:$admin_port" >"$work/gateway.log" 2>&1 &
pids+=($!)
until_ok 30 curl -sf "http://127.0.0.1:$service_port/readyz" || { cat "$work/service.log"; fail "the service did not get ready"; }
until_ok 30 curl -sf "http://127.0.0.1:$admin_port/ready" || { cat "$work/gateway.log"; fail "the gateway did not get ready"; }
body=$(curl -sS --resolve "httpsserver.kuopenx.io:$https_port:127.0.0.1" --cacert "$work/tls.crt" \
  "https://httpsserver.kuopenx.io:$https_port/test/hello")
[ "$body" = "hello." ] || { cat "$work/gateway.log"; fail "curl through the gateway got '$body', not 'hello.'"; }
echo "smoke: ingress gateway served the seed over verified TLS: curl got '$body'"
kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true; pids=()

# 3. ingress up outside any clone (and 4. the same through the installed tool).
check_up() { # check_up INGRESS LABEL
  local exe="$1" label="$2" up status body
  rm -rf "$work/elsewhere" "$work/state"; mkdir "$work/elsewhere"
  ( cd "$work/elsewhere" && exec "$exe" up --state-dir "$work/state" --https-port 0 --http-port 0 \
      --dashboard-port "$(free_port)" ) >"$work/up.log" 2>&1 &
  up=$!
  pids+=($up)
  printed() { grep -oE 'curl --resolve httpsserver\.kuopenx\.io:[0-9]+:127\.0\.0\.1 --cacert \S+ https://\S+/test/hello$' "$work/up.log"; }
  until_ok 120 printed || { cat "$work/up.log"; fail "$label: ingress up printed no curl command within 120 s"; }
  read -r -a curl_command <<<"$(printed | head -1)"
  body=$("${curl_command[@]}" -sS)
  [ "$body" = "hello." ] || { cat "$work/up.log"; fail "$label: '${curl_command[*]}' got '$body'"; }
  grep -q 'as built into ingress' "$work/up.log" || fail "$label: ingress up did not serve the built-in overlay"
  if [ -d "$release/dashboard" ] && grep -q 'trace viewer: not started' "$work/up.log"; then
    fail "$label: the bundled trace viewer did not start"
  fi
  kill -INT "$up"
  status=0; wait "$up" || status=$?
  pids=()
  [ "$status" -eq 0 ] || { cat "$work/up.log"; fail "$label: ingress up exited $status after Ctrl+C"; }
  echo "smoke: $label: ingress up outside a clone: curl got '$body'; Ctrl+C stopped it (exit 0)"
}
check_up "$ingress" "archive"

if [ -n "${TOOL_PACKAGES:-}" ]; then
  dotnet tool install --tool-path "$work/tool" ingress --add-source "$(realpath "$TOOL_PACKAGES")" >"$work/tool.log" 2>&1 \
    || { cat "$work/tool.log"; fail "dotnet tool install from $TOOL_PACKAGES failed"; }
  check_up "$work/tool/ingress" "tool"
fi
