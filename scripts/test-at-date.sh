#!/usr/bin/env bash
# Run the tests as if it were another moment: the 1st of a month before any deal
# closed, New Year's night in Beijing. Reports default to this month and the demo
# company is anchored on now, so such moments find what an ordinary day hides.
# libfaketime (Debian: apt-get install faketime) shifts the clock of vitest,
# `crm serve` and Chromium alike, by an offset so every process agrees.
#
#   scripts/test-at-date.sh 2026-12-31T16:30:00Z                 # 00:30 on 1 January in Beijing
#   scripts/test-at-date.sh 2026-11-30T16:30:00Z --project e2e   # any vitest arguments after the moment
#
# Known limit: file times come from the kernel's real clock, so with a shift of
# more than a day the sweep of <data>/files/ (kept a day) deletes fresh files and
# tests that download them fail; that is the tool, not the app.
set -euo pipefail
at="${1:?usage: scripts/test-at-date.sh <UTC moment, e.g. 2026-12-31T16:30:00Z> [vitest args…]}"
shift
command -v faketime >/dev/null || { echo "faketime is not installed (apt-get install faketime)" >&2; exit 1; }
offset=$(( $(date -d "$at" +%s) - $(date +%s) ))
cd "$(dirname "$0")/.."
exec faketime -f "+${offset}s" npx vitest run "$@"
