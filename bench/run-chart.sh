#!/usr/bin/env bash
# The /stats chart (issue 11): a year of answers read from the answer log and drawn as a PNG, as the silo does when it
# sends it, on a throwaway PostgreSQL. pgbench runs first as the anchor (one client, a 100-byte single-row upsert).
#   bench/run-chart.sh [learners=50] [renders=300]
set -euo pipefail
learners=${1:-50}
renders=${2:-300}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log=${QUIZ_BENCH_LOG:-/tmp/quiz-bench-chart.log}
source "$root/bench/postgres.sh"
start_postgres

pgbench_upsert 100 1 10
psql -q -d postgres -c "drop database pgbench"

if ! dotnet run -c Release --project "$root/bench/Quiz.Benchmarks" -- chart --learners "$learners" --renders "$renders" >"$log" 2>&1; then
  tail -n 40 "$log"
  exit 1
fi
grep -E "^chart" "$log"
