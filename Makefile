# `make run`, `make test` and `make bench`; everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mengtao
TEST_REDIS_URL ?= redis://127.0.0.1:6379/9
# Test processes (pytest-xdist): one per CPU; each has its own test database and Redis database.
TEST_WORKERS ?= auto

.PHONY: run test bench bench-reminders setup setup-test lint messages vendor clean

$(VENV)/.installed-run: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed-run
	scripts/system-packages.sh run
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

setup-test: setup $(VENV)/.installed-test
	scripts/system-packages.sh test

run: setup
	scripts/run.sh

test: setup-test
	scripts/services.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest --create-db --numprocesses $(TEST_WORKERS) $(PYTEST_ARGS)

# The pages under load at province scale: see "Speed" in the README. Knobs: BENCH_* variables.
bench: setup
	scripts/system-packages.sh bench
	scripts/bench.sh

# One deadline-reminder sweep over the province's open deadlines, timed (bench/reminders.py); the same
# database as `make bench`. Arguments: BENCH_REMINDERS_ARGS, e.g. "--size small".
bench-reminders: setup
	scripts/services.sh
	$(BIN)/python -m bench.reminders $(BENCH_REMINDERS_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Refresh the catalogues after changing user-facing strings, then translate what is new.
messages: setup-test
	$(BIN)/python manage.py makemessages --locale zh_Hans --locale en --ignore .venv --ignore var --ignore tests --ignore static --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

vendor:
	scripts/vendor-assets.sh

clean:
	rm -rf $(VENV) var/static test-artifacts
