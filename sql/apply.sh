#!/usr/bin/env bash
# Creates or updates the Quiz schema in one database, from this folder, in order:
# every NNN_*.sql script, then the question bank (questions/*.json) upserted by id.
# Idempotent: run it again after pulling new scripts or questions.
#
# Connection: the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE), a connection URI as the
# first argument, or one in QUIZ_DATABASE_URL (its password is passed through PGPASSWORD).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target=("${@:-}")
[ -n "${target[0]}" ] || target=()

# Or a URI in QUIZ_DATABASE_URL (the Kubernetes schema Job): its password goes to psql through PGPASSWORD, so that it is
# never on a command line, where any process of the node could read it.
if [ ${#target[@]} -eq 0 ] && [ -n "${QUIZ_DATABASE_URL:-}" ]; then
  if [[ $QUIZ_DATABASE_URL =~ ^(postgres(ql)?://[^:/@]+):([^@]*)@(.*)$ ]]; then
    encoded=${BASH_REMATCH[3]}
    PGPASSWORD=$(printf '%b' "${encoded//%/\\x}")
    export PGPASSWORD
    target=("--dbname=${BASH_REMATCH[1]}@${BASH_REMATCH[4]}")
  else
    target=("--dbname=$QUIZ_DATABASE_URL")
  fi
fi

psql_run() { psql "${target[@]}" -X -q -v ON_ERROR_STOP=1 "$@"; }

for script in "$here"/[0-9][0-9][0-9]_*.sql; do
  echo "applying $(basename "$script")"
  psql_run -f "$script"
done

# Logins for the roles of 200_quiz_roles.sql, from the environment: psql reads each password with \getenv, so that it is
# on no command line.
for role in runtime gateway; do
  variable="QUIZ_${role^^}_PASSWORD"
  [ -n "${!variable:-}" ] || continue
  echo "login for quiz_$role"
  psql_run <<SQL
\\getenv password $variable
alter role quiz_$role login password :'password';
SQL
done

for bank in "$here"/questions/*.json; do
  [ -e "$bank" ] || continue
  echo "importing $(basename "$bank")"
  psql_run <<SQL
\set bank \`cat '$bank'\`
select quiz_upsert_questions(:'bank'::jsonb, 'curated', null);
SQL
done
