#!/usr/bin/env bash
# A burst against a PostgreSQL with fewer connections than the silos' pools together (issue 10, section 0): two silo
# processes and the gateway process, every learner due in the same minute through real reminders, every 4th answering
# through the webhook, and PostgreSQL's max_connections at 40 while two silos may open 44 each. Writes and activations
# fail with "53300: too many clients"; the failed-tick retries and the due sweep (here every 20 s, a minute after the
# instant) must still give every learner their question. Prints one PASS/FAIL line; the run is in /tmp/quiz-bench-fanout.log.
#   bench/faults/burst.sh [learners=1500] [max_connections=40]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out=$(QUIZ_BENCH_PG_MAX_CONNECTIONS=${2:-40} bash "$root/bench/run-fanout.sh" "${1:-1500}" 25 16 10 --answer-every 4 --fault burst)
status=$?
grep "^fault burst" <<<"$out" || echo "fault burst: FAIL: the run did not finish (see /tmp/quiz-bench-fanout.log)"
exit $status
