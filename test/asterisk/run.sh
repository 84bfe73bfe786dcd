#!/usr/bin/env bash
# CI stage "real Asterisk": installs the Asterisk 22 of ../shared/asterisk (beside the
# clone, or BEREIK_SHARED_DIR), loads dialplans/, starts it, runs the ARI contract suite
# and the end-to-end smoke against it with SIPp playing the phones, and always stops it.
# Needs root (install.sh apt-installs and writes /opt/asterisk). docs/asterisk-ci.md
# explains it. BEREIK_ASTERISK_REUSE=1 uses an Asterisk that is already running and
# leaves it running (for working on the tests by hand). BEREIK_ASTERISK_TESTS names the test
# files or folders to run (default: test/contract test/asterisk).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${BEREIK_SHARED_DIR:-$(dirname "$repo")/shared}
ast=/opt/asterisk/sbin/asterisk
work=$(mktemp -d /tmp/bereik-asterisk-ci.XXXXXX)
log=$work/asterisk.log

if [ ! -x "$shared/asterisk/install.sh" ]; then
  # Never a silent skip: a CI without the real Asterisk would pass on the simulator alone.
  echo "FAIL real-Asterisk stage: $shared/asterisk/install.sh not found." >&2
  echo "  The shared folder must sit beside the clone (../shared) or be named by BEREIK_SHARED_DIR." >&2
  exit 1
fi

echo "== real Asterisk: install ($shared/asterisk)"
bash "$shared/asterisk/install.sh"
cp "$repo/dialplans/extensions.conf" /opt/asterisk/etc/asterisk/bereik-extensions.conf
printf '[general]\nstatic=yes\nwriteprotect=yes\n#include "bereik-extensions.conf"\n' > /opt/asterisk/etc/asterisk/extensions.conf
# Bridge recordings (docs/call-recordings.md) go to <astspooldir>/recording; Asterisk answers
# POST /bridges/{id}/record with a bare 500 when that directory does not exist.
mkdir -p /opt/asterisk/var/spool/asterisk/recording
# Browser softphones' per-login endpoints are pushed over ARI into sorcery's memory wizard.
cp "$repo/test/asterisk/etc/sorcery.conf" /opt/asterisk/etc/asterisk/sorcery.conf

started=
stop_asterisk() {
  local rc=$?
  if [ -n "$started" ]; then
    "$ast" -rx 'core stop now' >/dev/null 2>&1 || true
    for _ in $(seq 50); do kill -0 "$started" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$started" 2>/dev/null || true
    echo "== real Asterisk: stopped"
  fi
  if [ "$rc" -ne 0 ] && [ -f "$log" ]; then
    echo "== real Asterisk: last lines of its log ($log)" >&2
    tail -n 40 "$log" >&2
  fi
  exit "$rc"
}
trap stop_asterisk EXIT

if "$ast" -rx 'core show version' >/dev/null 2>&1; then
  if [ "${BEREIK_ASTERISK_REUSE:-}" != 1 ]; then
    echo "FAIL real-Asterisk stage: an Asterisk is already running on this machine; stop it first (or BEREIK_ASTERISK_REUSE=1)." >&2
    exit 1
  fi
  "$ast" -rx 'dialplan reload' >/dev/null
  echo "== real Asterisk: reusing the running one"
else
  echo "== real Asterisk: start"
  "$ast" -f -n >"$log" 2>&1 &
  started=$!
  for i in $(seq 60); do
    "$ast" -rx 'core show version' >/dev/null 2>&1 && break
    kill -0 "$started" 2>/dev/null || { echo "FAIL real-Asterisk stage: Asterisk exited at start" >&2; exit 1; }
    [ "$i" = 60 ] && { echo "FAIL real-Asterisk stage: Asterisk did not answer within 30 s" >&2; exit 1; }
    sleep 0.5
  done
fi
export BEREIK_ARI_URL=http://127.0.0.1:8088 BEREIK_ARI_USER=bereik BEREIK_ARI_PASSWORD=bereik-secret BEREIK_ASTERISK_SIPP=1
for i in $(seq 40); do
  node -e 'const u=process.env; fetch(u.BEREIK_ARI_URL+"/ari/asterisk/info",{headers:{authorization:"Basic "+btoa(u.BEREIK_ARI_USER+":"+u.BEREIK_ARI_PASSWORD)}}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' && break
  [ "$i" = 40 ] && { echo "FAIL real-Asterisk stage: ARI did not answer at $BEREIK_ARI_URL within 20 s" >&2; exit 1; }
  sleep 0.5
done
"$ast" -rx 'core show version'

cd "$repo"
# The phones listen on fixed ports: one test file at a time. The timeout keeps the stage
# well under CI's budget even if a call hangs.
echo "== real Asterisk: ARI contract and end-to-end smoke"
# shellcheck disable=SC2086 # a list of paths, split on purpose
TEST_CONCURRENCY=1 timeout 480 node scripts/run-tests.mjs ${BEREIK_ASTERISK_TESTS:-test/contract test/asterisk}
