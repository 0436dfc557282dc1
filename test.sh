#!/usr/bin/env bash
# The one test command (README, CI). On a fresh machine it installs what the tests need (Chromium for the browser
# tests, PostgreSQL for the provider tests), starts a throwaway PostgreSQL, builds, runs every test project and
# ends with a plain line: "N passed, N failed, N skipped". Exit code: non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
artifacts="$root/artifacts/tests"
mkdir -p "$artifacts"

log() { echo "[test.sh] $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  [ $apt_updated = 1 ] || { as_root apt-get update -qq >/dev/null 2>&1 || true; apt_updated=1; }
  # A first install of chromium has failed mid-way once on these machines: repair and retry.
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null 2>&1 || {
    DEBIAN_FRONTEND=noninteractive as_root apt-get --fix-broken install -y -qq >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null 2>&1
  }
}

# --- Chromium (browser tests) -------------------------------------------------------------------------------
if [ ! -x /usr/bin/chromium ]; then
  log "installing chromium"; apt_install chromium || log "chromium install failed: browser tests will fail"
fi

# --- PostgreSQL (provider tests) ------------------------------------------------------------------------------
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  log "installing postgresql"; apt_install postgresql
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
fi
pgdir=""
stop_pg() { [ -n "$pgdir" ] && su postgres -s /bin/sh -c "$pgbin/pg_ctl -D '$pgdir/data' -m immediate stop" >/dev/null 2>&1; rm -rf "$pgdir"; }
trap stop_pg EXIT
if [ -n "$pgbin" ] && id postgres >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  pgdir=$(mktemp -d /tmp/tt-pg.XXXXXX); chown postgres "$pgdir"; chmod 700 "$pgdir"
  pgport=$(( 20000 + RANDOM % 20000 ))
  if su postgres -s /bin/sh -c "$pgbin/initdb -D '$pgdir/data' -U postgres --auth=trust -E UTF8 >/dev/null" &&
     su postgres -s /bin/sh -c "$pgbin/pg_ctl -D '$pgdir/data' -o '-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' -l '$pgdir/log' -w start >/dev/null"; then
    export TICKETTRIAGE_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres"
    log "postgresql on port $pgport"
  else
    log "postgresql did not start: its tests will be skipped"; cat "$pgdir/log" 2>/dev/null | tail -5
  fi
else
  log "postgresql not available: its tests will be skipped"
fi

# --- smtp4dev (mail tests: a real SMTP server) ----------------------------------------------------------------
# A dotnet tool from the feed, installed into a folder this script owns; in-memory (--db=), on free ports. Ready ~10 s
# after start: it warms up while the solution builds. Tests that need it skip, saying why, when it is absent.
smtpdir="$root/artifacts/tools/smtp4dev"; smtppid=""
stop_all() { [ -n "$smtppid" ] && kill "$smtppid" 2>/dev/null; stop_pg; }
trap stop_all EXIT
if [ ! -x "$smtpdir/smtp4dev" ]; then
  log "installing smtp4dev"; dotnet tool install Rnwood.Smtp4dev --version 3.15.0 --tool-path "$smtpdir" >/dev/null 2>&1 || log "smtp4dev install failed: SMTP tests will be skipped"
fi
if [ -x "$smtpdir/smtp4dev" ]; then
  smtpport=$(( 40000 + RANDOM % 10000 )); smtpweb=$(( smtpport + 1 )); smtpimap=$(( smtpport + 2 ))
  "$smtpdir/smtp4dev" --urls="http://127.0.0.1:$smtpweb" --smtpport=$smtpport --imapport=$smtpimap --db= >"$artifacts/smtp4dev.log" 2>&1 &
  smtppid=$!
  export TICKETTRIAGE_TEST_SMTP_PORT=$smtpport TICKETTRIAGE_TEST_SMTP_API="http://127.0.0.1:$smtpweb"
  log "smtp4dev on smtp $smtpport, http $smtpweb"
fi

# --- Build and run every test project ------------------------------------------------------------------------
log "building"
dotnet build TicketTriage.sln -c Release -nologo -v q 2>&1 | tail -20
build=${PIPESTATUS[0]}
if [ "$build" != 0 ]; then echo "build failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; fi
if [ -n "$smtppid" ]; then
  for _ in $(seq 1 60); do curl -sf "$TICKETTRIAGE_TEST_SMTP_API/api/messages" >/dev/null 2>&1 && break; sleep 1; done
  curl -sf "$TICKETTRIAGE_TEST_SMTP_API/api/messages" >/dev/null 2>&1 || { log "smtp4dev did not answer: SMTP tests will be skipped"; unset TICKETTRIAGE_TEST_SMTP_PORT TICKETTRIAGE_TEST_SMTP_API; }
fi

passed=0; failed=0; skipped=0; rc=0
for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  log "running $name"
  out="$artifacts/$name.log"
  dotnet test "$proj" -c Release --no-build -nologo --blame --logger "trx;LogFileName=results.trx" \
    --results-directory "$artifacts/$name" >"$out" 2>&1
  code=$?
  # dotnet test can exit non-zero with every test passed (a test host that crashed or hung after its last test, a
  # run aborted): say so, with the log's end, so a red CI is never a mystery.
  if [ $code != 0 ]; then rc=$code; log "$name: dotnet test exited $code"; grep -nE 'abort|crash|Error|error' "$out" | grep -v '\[SKIP\]' | head -20; tail -15 "$out"; fi
  # VSTest summary: "Failed!  - Failed: 1, Passed: 10, Skipped: 0, Total: 11, Duration: ..."
  line=$(grep -E '(Passed|Failed)!  ?- Failed:' "$out" | tail -1)
  if [ -z "$line" ]; then
    log "$name produced no summary (exit $code):"; tail -30 "$out"; failed=$((failed + 1)); rc=1; continue
  fi
  f=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$line"); p=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$line")
  s=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$line")
  # A run that exited non-zero with no test failed (a test host crash after the last test, a run aborted) is one
  # failure: the closing line must not read green when the exit code is red.
  if [ $code != 0 ] && [ "$f" = 0 ]; then f=1; log "$name: counted as 1 failed (exit $code with no failed test)"; fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  echo "  $name: $p passed, $f failed, $s skipped"
  [ "$f" = 0 ] || grep -E '^\s+Failed |\[FAIL\]' "$out" | head -20
done
echo "$passed passed, $failed failed, $skipped skipped"
exit $rc
