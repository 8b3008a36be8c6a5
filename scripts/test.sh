#!/usr/bin/env bash
# The whole suite: lint, migrations, then pytest on SQLite and again on PostgreSQL.
# Under CI=true nothing is skipped: a missing PostgreSQL or browser fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
bash scripts/system-deps.sh test

echo "== lint"
$BIN/ruff check .
$BIN/ruff format --check .

echo "== migrations match the models"
$BIN/python manage.py makemigrations --check --dry-run >/dev/null

pg_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kehoach}"
pg_up=0
if $BIN/python scripts/pg_ready.py "$pg_url"; then pg_up=1
elif [ "$(id -u)" -eq 0 ] && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  # The machine's own server may simply be stopped: start it and ask again.
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  sleep 2
  if $BIN/python scripts/pg_ready.py "$pg_url"; then pg_up=1; fi
fi
if [ "$pg_up" = 0 ] && [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL does not answer at $pg_url; under CI=true that is a failure." >&2
  exit 1
fi

echo "== tests on SQLite"
env -u DATABASE_URL $BIN/pytest -p no:cacheprovider -n 2 "$@"

if [ "$pg_up" = 1 ]; then
  echo "== tests on PostgreSQL"
  DATABASE_URL="$pg_url" $BIN/pytest -p no:cacheprovider -n 2 "$@"
else
  echo "== PostgreSQL not reachable at $pg_url: PostgreSQL run skipped (outside CI)."
fi
