#!/usr/bin/env bash
# The daily fan-out of a silo through the real Telegram client to the sandbox, with a storm of 429s (retry_after 1, a
# quarter as many as learners) and a tenth of the learners answering 403 (blocked): every reachable learner gets one
# question, none twice, and each blocked learner is marked unreachable after one refusal. Prints one PASS/FAIL line.
#   bench/faults/telegram-storms.sh [learners]        (CI runs 40: Quiz.Tests/Operations/TelegramStormTests.cs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
log=$(mktemp /tmp/quiz-fault-XXXX.log)
if dotnet run -c Release --project "$root/bench/Quiz.Benchmarks" -- fault-telegram-storms --learners "${1:-400}" >"$log" 2>&1; then
  grep "^fault " "$log"
else
  grep "^fault " "$log" || { echo "fault telegram-storms: FAIL: did not finish (log: $log)"; tail -n 20 "$log"; }
  exit 1
fi
