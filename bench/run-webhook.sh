#!/usr/bin/env bash
# Webhook answer-path benchmark: taps POSTed by the sandbox to the gateway, as Telegram does, against a one-silo
# cluster that sends through the real Telegram client; beside pgbench single-row upserts on the same throwaway
# PostgreSQL in the same run (docs/benchmarks.md).
#   bench/run-webhook.sh [answers=3000] [concurrency=32] [pgbench-seconds=20] [more options: --paced 200 --paced-rate 10 --limit 30]
set -euo pipefail
answers=${1:-3000}
concurrency=${2:-32}
seconds=${3:-20}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log=${QUIZ_BENCH_LOG:-/tmp/quiz-bench-webhook.log}
source "$root/bench/postgres.sh"
# The same server serves pgbench and the cluster.
start_postgres

# The pgbench reference of run-answers.sh (1.5 kB row), with at most 64 clients (the server allows 200 connections).
pgbench_upsert 1500 "$(( concurrency < 64 ? concurrency : 64 ))" "$seconds"

echo "webhook: $answers answers, concurrency $concurrency (full output: $log)"
if ! dotnet run -c Release --project "$root/bench/Quiz.Benchmarks" -- webhook --answers "$answers" --concurrency "$concurrency" "${@:4}" >"$log" 2>&1; then
  tail -n 40 "$log"
  exit 1
fi
grep -E "^(setup|webhook)" "$log"
