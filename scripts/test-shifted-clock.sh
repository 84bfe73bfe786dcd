#!/usr/bin/env bash
# Runs the unit, API, TTS and service tests with the system clock moved (Debian's
# faketime), so a test that quietly depends on today's date, weekday or hour fails here
# instead of on some later day in CI. Monotonic time is left alone, so timers run normally.
#   scripts/test-shifted-clock.sh                          # Sunday 23:30 in Amsterdam (CET)
#   scripts/test-shifted-clock.sh '@2027-03-01 12:00:00'   # any faketime start (UTC)
set -euo pipefail
cd "$(dirname "$0")/.."
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1 || true)
if [ -z "$lib" ]; then
  echo "test-shifted-clock: libfaketime not found: apt-get install faketime" >&2
  exit 1
fi
start=${1:-@2027-01-03 22:30:00}   # a Sunday, 23:30 Europe/Amsterdam
echo "shifted clock: tests run as if it were ${start#@} UTC"
LD_PRELOAD=$lib FAKETIME="$start" DONT_FAKE_MONOTONIC=1 \
  node scripts/run-tests.mjs test/unit test/api test/tts test/service
