#!/usr/bin/env bash
# /top at scale (issue 12): the answer log of LEARNERS learners over DAYS days, every one of them opted in (the worst
# case), and the once-a-minute rebuild of the tops (quiz_refresh_leaderboard, sql/170) timed on a throwaway
# PostgreSQL. pgbench runs first on the same server as the anchor (one client, a 100-byte single-row upsert).
# Shortcut, said plainly: the answer rows are generated in SQL, not written by grains; the answer path itself does
# nothing for /top, so there is nothing of it to time.
#   bench/run-top.sh [learners=1000000] [days=7] [refreshes=5]
set -euo pipefail
learners=${1:-1000000}
days=${2:-7}
refreshes=${3:-5}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/postgres.sh"
start_postgres

pgbench_upsert 100 1 10
psql -q -d postgres -c "drop database pgbench"
psql -q -d postgres -c "create database quiz"
export PGDATABASE=quiz
bash "$root/sql/apply.sh" >/dev/null

today=$(date -u +%F)
start=$(date -u -d "$today - $((days - 1)) days" +%F)
echo "top: $learners learners, all opted in, $days days of answers ($start to $today)"
psql -X -q -v ON_ERROR_STOP=1 <<SQL
do \$\$ begin perform quiz_ensure_answer_partitions(date '$start', 2); end \$\$;
insert into leaderboard_members (learner_id, display_name) select l, 'Learner ' || l from generate_series(1, $learners) l;
insert into answers (learner_id, question_id, question_day, choice, is_correct, is_late, level, answered_at)
select l, 'q' || d, date '$today' - d, 0, (l + d) % 3 <> 0, false, 'Intermediate',
       (date '$today' - d) + time '09:00' + (l % 36000) * interval '1 second'
from generate_series(1, $learners) l, generate_series(0, $days - 1) d;
vacuum analyze answers;
vacuum analyze leaderboard_members;
SQL
psql -X -q -At -c "select 'top: answer log ' || count(*) || ' rows, ' || pg_size_pretty(pg_total_relation_size('answers_default') + (select coalesce(sum(pg_total_relation_size(inhrelid)), 0) from pg_inherits where inhparent = 'answers'::regclass)) from answers"
for i in $(seq 1 "$refreshes"); do
  ms=$(psql -X -q -At -c '\timing on' -c "select quiz_refresh_leaderboard(date '$today', interval '0 seconds')" | grep -oE '^Time: [0-9.]+' | grep -oE '[0-9.]+')
  echo "top: refresh $i took $ms ms"
done
psql -X -q -At -c "select 'top: ' || count(*) || ' rows in leaderboard_top' from leaderboard_top"
