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

# The pgbench reference of run-answers.sh: one single-row upsert of a 1.5 kB row per transaction.
psql -q -d postgres -c "create database pgbench"
psql -q -d pgbench -c "create table kv (k integer primary key, v bigint not null, payload text not null)"
cat > "$work/upsert.sql" <<'SQL'
\set k random(1, 100000)
insert into kv (k, v, payload) values (:k, 1, repeat('x', 1500))
on conflict (k) do update set v = kv.v + 1, payload = excluded.payload;
SQL
echo "pgbench: one single-row upsert per transaction, $(( concurrency < 64 ? concurrency : 64 )) clients, ${seconds}s"
pgbench -n -c "$(( concurrency < 64 ? concurrency : 64 ))" -j 2 -T "$seconds" -f "$work/upsert.sql" pgbench | grep -E "^(tps|latency average)"

echo "webhook: $answers answers, concurrency $concurrency (full output: $log)"
if ! dotnet run -c Release --project "$root/bench/Quiz.Benchmarks" -- webhook --answers "$answers" --concurrency "$concurrency" "${@:4}" >"$log" 2>&1; then
  tail -n 40 "$log"
  exit 1
fi
grep -E "^(setup|webhook)" "$log"
