#!/usr/bin/env bash
# Answer-path benchmark: pgbench single-row upserts and grain answer calls against the same throwaway PostgreSQL,
# in one run, so the ratio between them means something on a shared, noisy machine.
#   bench/run-answers.sh [learners] [concurrency] [pgbench-seconds]
# QUIZ_BENCH_PROFILE=1 also reports where the CPU goes during 5 s of the full-speed run (.NET process vs PostgreSQL, runtime counters).
set -euo pipefail
learners=${1:-4000}
concurrency=${2:-16}
seconds=${3:-20}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/postgres.sh"
# The same server serves pgbench and the cluster.
start_postgres -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all

# Two anchors: a row the size of a learner's state before issue 10 (1.5 kB) and a small one (100 B).
for size in 1500 100; do pgbench_upsert "$size" "$concurrency" "$seconds"; done
psql -q -d postgres -c "create extension if not exists pg_stat_statements" -c "select pg_stat_statements_reset()" >/dev/null

dotnet build -c Release -v q "$root/bench/Quiz.Benchmarks" >/dev/null
"$root/bench/Quiz.Benchmarks/bin/Release/net10.0/Quiz.Benchmarks" answers --learners "$learners" --concurrency "$concurrency" >"$work/bench.log" 2>&1 &
bench=$!
if [ -n "${QUIZ_BENCH_PROFILE:-}" ]; then
  # Where the CPU goes during 5 s of the full-speed run: the benchmark process (client and silo) against every
  # PostgreSQL process, from /proc; and the .NET runtime's counters (allocation, GC, thread pool, lock contention).
  ticks() { for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'; }
  until grep -q "^grain calls" "$work/bench.log" || ! kill -0 $bench 2>/dev/null; do sleep 0.2; done
  sleep 1
  (cd "$root" && dotnet tool run dotnet-counters collect -p $bench --counters System.Runtime --duration 00:00:00:05 --format csv -o "$work/counters.csv" >/dev/null) &
  counters=$!
  dotnet_before=$(ticks $bench); pg_before=$(ticks $(pgrep -u postgres))
  sleep 5
  dotnet_after=$(ticks $bench); pg_after=$(ticks $(pgrep -u postgres))
  wait $counters || true
  hz=$(getconf CLK_TCK)
  echo "profile, 5 s of the full-speed run: benchmark process $(( (dotnet_after - dotnet_before) * 100 / hz / 5 ))% of a core, PostgreSQL $(( (pg_after - pg_before) * 100 / hz / 5 ))% of a core (2 cores in all)" > "$work/profile.txt"
  python3 - "$work/counters.csv" >> "$work/profile.txt" <<'PY' || true
import csv, sys, collections
rows = collections.defaultdict(list)
for r in csv.DictReader(open(sys.argv[1])):
    rows[(r.get('Counter Name') or '') + ' ' + (r.get('Tags') or '')].append(float(r.get('Mean/Increment') or 0))
for name, values in sorted(rows.items()):
    if any(k in name for k in ('alloc', 'gc.collections', 'cpu', 'contention', 'thread_pool.queue', 'thread_pool.thread')):
        print(f"  {name.strip()}: mean {sum(values) / len(values):,.1f} over {len(values)} samples")
PY
fi
wait $bench
grep -E "^(answers|grain calls)|Exception" "$work/bench.log"
[ -f "$work/profile.txt" ] && cat "$work/profile.txt"

echo "where PostgreSQL spent the answer run's time (pg_stat_statements, top 6 by total time):"
psql -d postgres -P pager=off -c "select calls, round(total_exec_time::numeric, 0) as total_ms, round(mean_exec_time::numeric, 3) as mean_ms,
  left(regexp_replace(query, '\s+', ' ', 'g'), 90) as query
  from pg_stat_statements where query not ilike '%pg_stat_statements%' order by total_exec_time desc limit 6"
db=$(psql -d postgres -At -c "select datname from pg_database where datname like 'quiz_test_%' limit 1")
[ -n "$db" ] && psql -d "$db" -At -c "select 'learner state: ' || count(*) || ' rows, ' || round(avg(octet_length(payloadbinary))) || ' bytes of JSON on average' from orleansstorage where graintypestring = 'learner'"
