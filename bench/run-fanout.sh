#!/usr/bin/env bash
# Daily fan-out benchmark: N learners share one delivery minute; the product's own reminders fire every one's daily
# question at once in silo processes (Quiz.Silo.dll) on a throwaway PostgreSQL, which send through the real Telegram
# client to the sandbox; the sandbox answers 429 above Telegram's limits (30 broadcasts a second, 1,000 paid, about one
# a second per chat). docs/benchmarks.md has the runs and what the setup shortcuts.
#   bench/run-fanout.sh [learners=10000] [limit=25] [concurrency=500] [retry-seconds=10] [more: --silos 3 --answer-every 10]
# limit: Telegram:BroadcastPerSecond (above 30 runs with Telegram:PaidBroadcast); concurrency: setup calls in flight
# (at most 64); retry-seconds: the silos' Delivery:RetryAfterFailedSend.
set -euo pipefail
learners=${1:-10000}
limit=${2:-25}
concurrency=${3:-500}
retry=${4:-10}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log=${QUIZ_BENCH_LOG:-/tmp/quiz-bench-fanout.log}
source "$root/bench/postgres.sh"
start_postgres

echo "fan-out: $learners learners, Telegram:BroadcastPerSecond $limit, setup concurrency $concurrency, retry after ${retry}s ${*:5} (full output: $log)"
if ! dotnet run -c Release --project "$root/bench/Quiz.Benchmarks" -- fanout --learners "$learners" --limit "$limit" \
     --concurrency "$concurrency" --retry-seconds "$retry" "${@:5}" >"$log" 2>&1; then
  tail -n 40 "$log"
  exit 1
fi
grep -E "^(sandbox|setup|fanout|fault)" "$log"
