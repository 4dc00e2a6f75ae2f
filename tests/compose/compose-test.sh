#!/usr/bin/env bash
# Compose test: the appliance as a user runs it, end to end.
#   docker compose up -d --build → health ok → passcode from the api log → login → API key → add and install
#   @modelcontextprotocol/server-everything → call its echo tool through the stdio-proxy image, exactly as Claude
#   Desktop runs it → docker compose down -v → no managed container left.
# Prints one PASS/FAIL line last; exits non-zero on failure.
#
# Environment (all optional): COMPOSE_PROJECT_NAME (mcpr-ci), PORT (18080), BUILD_NETWORK (engine default; `host` on
# machines without NAT), HEALTH_TIMEOUT (120 s), INSTALL_TIMEOUT (600 s), KEEP=1 to leave the stack up after a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-mcpr-ci}
export PORT=${PORT:-18080}
export BUILD_NETWORK=${BUILD_NETWORK:-}
# The defaults: PUBLIC_URL follows PORT, the passcode is generated.
unset PUBLIC_URL ADMIN_PASSCODE
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-120}
INSTALL_TIMEOUT=${INSTALL_TIMEOUT:-600}
BASE=http://127.0.0.1:$PORT
STEP=setup
WORK=$(mktemp -d)

log() { printf 'compose-test: %s\n' "$*" >&2; }
fail() {
  log "FAIL at '$STEP': $*"
  echo "--- docker compose ps" >&2
  compose ps -a >&2 || true
  echo "--- docker compose logs (last 60 lines per service)" >&2
  compose logs --no-color --tail 60 >&2 || true
  echo "COMPOSE TEST FAIL: $STEP: $*"
  exit 1
}
# The checkout's .env, if any, applies as it does to `docker compose up`.
compose() { docker compose -p "$COMPOSE_PROJECT_NAME" "$@"; }
cleanup() {
  local status=$?
  if [[ ${KEEP:-0} != 1 ]]; then
    compose down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

# JSON field from stdin: json <expression on `d`> (node, which every machine running the tests has).
json() { node -e "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>{const d=JSON.parse(s);const v=($1);process.stdout.write(typeof v==='string'?v:JSON.stringify(v))})"; }
http() { # http METHOD PATH [BODY]: prints the body, fails on a status >= 400
  local method=$1 path=$2 body=${3:-}
  local args=(-sS -X "$method" -H 'Content-Type: application/json' -o "$WORK/body" -w '%{http_code}')
  [[ -n ${TOKEN:-} ]] && args+=(-H "Authorization: Bearer $TOKEN")
  [[ -n $body ]] && args+=(--data "$body")
  local code
  code=$(curl "${args[@]}" "$BASE$path") || fail "$method $path: no answer"
  ((code < 400)) || fail "$method $path answered $code: $(head -c 400 "$WORK/body")"
  cat "$WORK/body"
}

started=$(date +%s)
STEP='docker compose up -d --build'
log "$STEP (project $COMPOSE_PROJECT_NAME, port $PORT, build network ${BUILD_NETWORK:-default})"
compose down -v --remove-orphans >/dev/null 2>&1 || true
up_started=$(date +%s)
compose up -d --build --quiet-pull >"$WORK/up.log" 2>&1 || { tail -40 "$WORK/up.log" >&2; fail 'compose up failed'; }
log "up took $(($(date +%s) - up_started)) s"

STEP='health'
deadline=$(($(date +%s) + HEALTH_TIMEOUT))
status=''
until [[ $status == ok ]]; do
  (($(date +%s) < deadline)) || fail "GET /api/health is not ok after ${HEALTH_TIMEOUT} s (last: ${status:-no answer})"
  sleep 2
  status=$(curl -sf "$BASE/api/health" 2>/dev/null | json 'd.status' 2>/dev/null) || status=''
done
log "health ok after $(($(date +%s) - up_started)) s"

STEP='passcode from the api log'
passcode=$(compose logs --no-color api 2>/dev/null | grep -o 'Admin passcode: [^" ]*' | head -1 | cut -d' ' -f3) || true
[[ -n $passcode ]] || fail 'no "Admin passcode:" line in docker compose logs api (does .env set ADMIN_PASSCODE?)'

STEP='login'
TOKEN=$(http POST /api/auth/login "{\"passcode\":\"$passcode\"}" | json 'd.accessToken')

STEP='create an API key'
api_key=$(http POST /api/keys '{"name":"compose-test"}' | json 'd.key')

STEP='add server-everything'
server_id=$(http POST /api/servers \
  '{"name":"everything","runtime":"npx","package":"@modelcontextprotocol/server-everything"}' | json 'd.id')

STEP='install server-everything'
job_id=$(http POST "/api/servers/$server_id/install" | json 'd.jobId')
deadline=$(($(date +%s) + INSTALL_TIMEOUT))
state=''
until [[ $state == completed ]]; do
  [[ $state != failed ]] || fail "install job failed: $(http GET "/api/jobs/$job_id" | json 'd.error')"
  (($(date +%s) < deadline)) || fail "install job not completed after ${INSTALL_TIMEOUT} s (state: $state)"
  sleep 3
  state=$(http GET "/api/jobs/$job_id" | json 'd.state')
done
log "installed (job $job_id)"

STEP='echo through the stdio-proxy container'
init='{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"compose-test","version":"1.0.0"}}}'
printf '%s\n' "$init" \
  '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
  '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' \
  '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"everything__echo","arguments":{"message":"hello from compose"}}}' \
  | timeout 120 docker run -i --rm --network host \
    -e "MCP_ROUTER_URL=$BASE/mcp" -e "MCP_ROUTER_TOKEN=$api_key" mcp-router/stdio-proxy \
    >"$WORK/proxy.out" 2>"$WORK/proxy.err" || fail "the stdio-proxy exited with $?: $(tail -5 "$WORK/proxy.err")"
grep -q 'everything__echo' "$WORK/proxy.out" || fail "tools/list has no everything__echo: $(head -c 600 "$WORK/proxy.out")"
grep -q 'Echo: hello from compose' "$WORK/proxy.out" ||
  fail "no 'Echo:' answer; stdout: $(tail -c 600 "$WORK/proxy.out"); stderr: $(tail -5 "$WORK/proxy.err")"
log "echo answered: $(grep -o 'Echo: hello from compose' "$WORK/proxy.out" | head -1)"

STEP='docker compose down -v'
# This stack's api and worker label what they start with an instance id that begins with their host name (the
# container id); other routers may share the engine (other test runs), so only this stack's containers count.
hosts=$(compose ps -aq api worker | cut -c1-12 | paste -sd'|')
[[ -n $hosts ]] || fail 'no api or worker container to stop'
compose down -v --remove-orphans >"$WORK/down.log" 2>&1 || fail "$(tail -5 "$WORK/down.log")"
left=$(docker ps -a --filter label=mcp-router.managed=true \
  --format '{{.Names}} {{.Status}} server={{.Label "mcp-router.server"}} instance={{.Label "mcp-router.instance"}}' |
  grep -E "server=$server_id |instance=($hosts)" || true)
[[ -z $left ]] || fail "managed containers left after down: $left"

echo "COMPOSE TEST PASS ($(($(date +%s) - started)) s)"
