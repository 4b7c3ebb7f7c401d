#!/usr/bin/env bash
# The gateway process killed (SIGKILL) while learners answer through it, then started again on the same address: the
# sandbox delivers every unacknowledged update again, as Telegram does, and every answer counts once. A TestCluster
# silo on the shared throwaway PostgreSQL, the real gateway process and the sandbox Bot API. Prints one PASS/FAIL line.
#   bench/faults/gateway-restart.sh [learners]        (CI runs 40: Quiz.Tests/Operations/GatewayRestartTests.cs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
log=$(mktemp /tmp/quiz-fault-XXXX.log)
if dotnet run -c Release --project "$root/bench/Quiz.Benchmarks" -- fault-gateway-restart --learners "${1:-400}" >"$log" 2>&1; then
  grep "^fault " "$log"
else
  grep "^fault " "$log" || { echo "fault gateway-restart: FAIL: did not finish (log: $log)"; tail -n 20 "$log"; }
  exit 1
fi
