#!/usr/bin/env bash
# One million learners on this machine (issue 10, section 2), in cumulative steps on a throwaway PostgreSQL with default
# durability. Each step registers its learners through the grain API (state, reminder, outbox) in a two-silo
# TestCluster, then starts two silo processes (Quiz.Silo.dll) on them idle and measures their start-up reminder read,
# PostgreSQL's CPU and the silos' memory; first, a sample answers for 30 simulated days (the answer log's bytes per
# learner). pgbench runs first as the anchor. Writes the chart given (docs/img/scale.png in docs/performance.md).
#   bench/run-scale.sh [steps=10000,100000] [chart=/tmp/quiz-scale.png] [concurrency=64]
set -euo pipefail
steps=${1:-10000,100000}
chart=${2:-/tmp/quiz-scale.png}
concurrency=${3:-64}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log=${QUIZ_BENCH_LOG:-/tmp/quiz-bench-scale.log}
source "$root/bench/postgres.sh"
start_postgres -c shared_preload_libraries=pg_stat_statements
psql -q -d postgres -c "create extension if not exists pg_stat_statements"

pgbench_upsert 1000 "$concurrency" 20 1000000
psql -q -d postgres -c "drop database pgbench"

echo "scale: steps $steps (full output: $log)"
if ! dotnet run -c Release --project "$root/bench/Quiz.Benchmarks" -- scale --steps "$steps" --concurrency "$concurrency" \
     --chart "$chart" >"$log" 2>&1; then
  tail -n 40 "$log"
  exit 1
fi
grep -E "^(scale|registration|answers)" "$log"
