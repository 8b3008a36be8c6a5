#!/usr/bin/env bash
# Serves Kế hoạch on its embedded defaults: migrate, demo ward, background worker, web server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
mkdir -p var
$BIN/python manage.py migrate --noinput
$BIN/python manage.py demo
# Daily digest and overdue sweep: queued once, then each run queues the next.
$BIN/python manage.py schedule_jobs
$BIN/python manage.py db_worker --interval 1 >var/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Background worker running (log: var/worker.log)."
echo "Kế hoạch: http://127.0.0.1:$PORT/"
$BIN/python manage.py runserver "127.0.0.1:$PORT"
