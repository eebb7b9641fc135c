#!/usr/bin/env bash
# `make run`: migrate, load the demo, then serve the web on HOST:PORT and run one Celery worker
# with beat. Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
host=${HOST:-127.0.0.1}
port=${PORT:-8000}
"$bin/python" manage.py migrate --noinput
"$bin/python" manage.py seed_demo
"$bin/python" manage.py collectstatic --noinput --verbosity 0
trap 'trap - INT TERM EXIT; kill $(jobs -p) 2>/dev/null; wait' INT TERM EXIT
"$bin/celery" -A mengtao worker --beat --loglevel INFO --concurrency 2 &
"$bin/gunicorn" mengtao.wsgi --bind "$host:$port" --workers 2 --threads 4 --access-logfile - &
echo "Serving http://$host:$port/ — Ctrl-C stops the web server and the Celery worker."
wait -n
