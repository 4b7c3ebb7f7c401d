# Sourced by the benchmark scripts: a throwaway PostgreSQL 15 on a free loopback port, with default durability
# (fsync and synchronous_commit on), removed on exit. start_postgres [server options...] sets work (a scratch folder)
# and exports the libpq variables and QUIZ_TEST_POSTGRES for the benchmark process.
start_postgres() {
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  work=$(mktemp -d /tmp/quiz-bench-XXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  [ "$(id -u)" = 0 ] && chown postgres "$work"
  trap 'as_pg "$bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  as_pg "$bin/initdb" -D "$work/data" -U postgres -A trust -E UTF8 >/dev/null
  as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c max_connections=${QUIZ_BENCH_PG_MAX_CONNECTIONS:-200} $*" start >/dev/null
  export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
  export QUIZ_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The anchor every benchmark reports beside, on the same server: pgbench running one single-row upsert of a
# SIZE-byte row per transaction in a database of its own.   pgbench_upsert SIZE CLIENTS SECONDS [KEYS=100000]
pgbench_upsert() {
  psql -q -d postgres -c "create database pgbench" 2>/dev/null || true
  psql -q -d pgbench -c "create table if not exists kv (k integer primary key, v bigint not null, payload text not null)"
  cat > "$work/upsert-$1.sql" <<SQL
\\set k random(1, ${4:-100000})
insert into kv (k, v, payload) values (:k, 1, repeat('x', $1))
on conflict (k) do update set v = kv.v + 1, payload = excluded.payload;
SQL
  echo "pgbench: one single-row upsert of a $1-byte row per transaction, $2 clients, $3 s"
  pgbench -n -c "$2" -j 2 -T "$3" -f "$work/upsert-$1.sql" pgbench | grep -E "^(tps|latency average)"
}
