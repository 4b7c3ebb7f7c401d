#!/usr/bin/env bash
# PostgreSQL stopped and started again while learners answer through the webhook (a TestCluster silo, the real gateway
# and the sandbox Bot API, on a throwaway server of its own): every tap while it is down gets 503, every answer counts
# once after it is back, a new learner is served, and neither silo nor gateway restarts. Prints one PASS/FAIL line.
#   bench/faults/postgres-restart.sh [learners]        (CI runs 12: Quiz.Tests/Operations/DatabaseRestartTests.cs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
log=$(mktemp /tmp/quiz-fault-XXXX.log)
if dotnet run -c Release --project "$root/bench/Quiz.Benchmarks" -- fault-postgres-restart --learners "${1:-200}" >"$log" 2>&1; then
  grep "^fault " "$log"
else
  grep "^fault " "$log" || { echo "fault postgres-restart: FAIL: did not finish (log: $log)"; tail -n 20 "$log"; }
  exit 1
fi
