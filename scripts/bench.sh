#!/usr/bin/env bash
# `make bench`: with PostgreSQL and Redis up, runs the bench driver (bench/driver.py), which prints the
# report and exits 0 only when every target is met. Knobs: BENCH_* (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh
exec .venv/bin/python -m bench
