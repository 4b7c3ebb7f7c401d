#!/usr/bin/env bash
# The restore drill (docs/operations.md, "Backups and restore"): pg_dump of a running system while learners answer
# (a TestCluster silo on the production wiring), pg_restore into a fresh database, sql/apply.sh, then a silo on the copy
# with the same service id: the dump is consistent (every learner's state agrees with their answer log) and the same
# learners are served (progress, reminders, the next day's question). Prints one PASS/FAIL line.
#   bench/faults/restore-drill.sh [learners]        (CI runs 8: Quiz.Tests/Operations/RestoreDrillTests.cs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
log=$(mktemp /tmp/quiz-fault-XXXX.log)
if dotnet run -c Release --project "$root/bench/Quiz.Benchmarks" -- fault-restore-drill --learners "${1:-100}" >"$log" 2>&1; then
  grep "^fault " "$log"
else
  grep "^fault " "$log" || { echo "fault restore-drill: FAIL: did not finish (log: $log)"; tail -n 20 "$log"; }
  exit 1
fi
