#!/usr/bin/env bash
# kill -9 one of two silo processes during the daily fan-out while learners answer through the gateway process
# (bench/run-fanout.sh: real reminders, the real Telegram client, the sandbox's limits, PostgreSQL). Passes when every
# learner still has the day's question (a second copy only for a send in flight at the crash), and every answer the
# webhook acknowledged is in the answer log. Prints one PASS/FAIL line; the whole run goes to /tmp/quiz-bench-fanout.log.
#   bench/faults/kill-silo.sh [learners] [kill after this many questions]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
learners=${1:-2000}
after=${2:-$((learners / 3))}
out=$(bash "$root/bench/run-fanout.sh" "$learners" 25 500 10 --answer-every 4 --kill-silo-after "$after")
status=$?
grep "^fault kill-silo" <<<"$out" || echo "fault kill-silo: FAIL: the run did not finish (see /tmp/quiz-bench-fanout.log)"
exit $status
