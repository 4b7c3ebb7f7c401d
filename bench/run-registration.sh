#!/usr/bin/env bash
# Registration at scale: learners subscribed through the grain API (state, reminder, outbox) in a one-silo TestCluster
# on a throwaway PostgreSQL with default durability, in cumulative steps; after each, the time it took, PostgreSQL's
# bytes per learner and the process's managed heap per resident activation. pgbench runs first as the anchor.
#   bench/run-registration.sh [steps=10000,100000] [concurrency=64]
set -euo pipefail
steps=${1:-10000,100000}
concurrency=${2:-64}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/postgres.sh"
start_postgres

psql -q -d postgres -c "create database pgbench"
psql -q -d pgbench -c "create table kv (k integer primary key, v bigint not null, payload text not null)"
cat > "$work/upsert.sql" <<'SQL'
\set k random(1, 1000000)
insert into kv (k, v, payload) values (:k, 1, repeat('x', 1000))
on conflict (k) do update set v = kv.v + 1, payload = excluded.payload;
SQL
echo "pgbench: one single-row upsert of a 1,000-byte row per transaction, $concurrency clients, 20 s"
pgbench -n -c "$concurrency" -j 2 -T 20 -f "$work/upsert.sql" pgbench | grep -E "^(tps|latency average)"

dotnet run -c Release --project "$root/bench/Quiz.Benchmarks" -- registration --steps "$steps" --concurrency "$concurrency" 2>&1 \
  | grep -E "^registration|Exception"
