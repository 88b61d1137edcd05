# Two commands for a newcomer: `make demo` and `make test` (see README.md).
# Everything they need is installed here, into this folder: uv (if missing), the virtual
# environment (.venv), axe-core (node_modules, when npm is present).

SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
PY := $(CURDIR)/.venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test test-postgres lint typecheck importlint migrations-check messages clean

$(CURDIR)/.tools/bin/uv:
	@echo "Installing uv into .tools/ ..."
	@python3 -m venv $(CURDIR)/.tools 2>/dev/null && $(CURDIR)/.tools/bin/pip install --quiet uv \
	  || python3 -m pip install --quiet --target $(CURDIR)/.tools uv \
	  || { echo "Could not install uv: install python3-venv or python3-pip (apt-get install -y python3-venv)"; exit 1; }

install: $(UV)
	@$(UV) sync --frozen --quiet
	@if command -v npm >/dev/null 2>&1; then \
	  [ -f node_modules/axe-core/axe.min.js ] || npm ci --silent --no-audit --no-fund; \
	else echo "npm not found: accessibility checks (axe-core) will be skipped."; fi

# The demo runs the 2021 campaign as if today were 1 March 2021, 10:00 (applications open).
DEMO_CLOCK_AT ?= 2021-03-01T10:00:00+01:00

demo: export SITE_URL := http://$(HOST):$(PORT)
demo: install
	@$(PY) manage.py migrate --no-input -v 0
	@$(PY) manage.py load_campaign admissions/campaigns/reference/imt-mines-albi-2021.toml
	@$(PY) manage.py seed_demo
	@$(PY) manage.py recount_campaigns >/dev/null
	@echo "Background worker (emails, PDFs) starts with the server; both stop with Ctrl-C."
	@echo "Emails (confirmation links, referee links, receipts) are written to data/worker.log."
	@echo "Demo: staff pages do not ask for a second factor (STAFF_REQUIRE_MFA=false)."
	@echo "Demo: DEBUG=false, errors show the platform's own pages (tracebacks go to this terminal)."
	@export DEBUG=false STAFF_REQUIRE_MFA=false CLOCK_AT=$(DEMO_CLOCK_AT) CLOCK_SINCE=$$(date -u +%Y-%m-%dT%H:%M:%S+00:00); \
	  trap 'kill 0' EXIT; $(PY) manage.py db_worker --interval 2 >data/worker.log 2>&1 & \
	  while sleep 300; do $(PY) manage.py send_reminders >>data/reminders.log 2>&1; \
	    $(PY) manage.py sweep_emails >>data/reminders.log 2>&1; \
	    $(PY) manage.py publish_results >>data/reminders.log 2>&1; \
	    $(PY) manage.py freeze_final_list >>data/reminders.log 2>&1; \
	    $(PY) manage.py recount_campaigns >>data/reminders.log 2>&1; \
	    $(PY) manage.py clearsessions >>data/reminders.log 2>&1; done & \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	@$(PY) -m pytest -q

test-postgres: install
	@./.ci/postgres-tests

lint: install
	@$(PY) -m ruff check . && $(PY) -m ruff format --check .

# Static types (mypy with django-stubs, configured in pyproject.toml): must report no issues.
typecheck: install
	@$(PY) -m mypy admissions

# The import layers (import-linter contracts in pyproject.toml; docs/architecture.md, "Layers").
importlint: install
	@$(CURDIR)/.venv/bin/lint-imports

migrations-check: install
	@$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf .venv .tools node_modules staticfiles

# Translations: the .mo files are committed so that a fresh machine needs no gettext tools.
messages: install
	@$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=tests --ignore=benchmarks --no-obsolete
	@$(PY) manage.py compilemessages -l en --ignore=.venv

# Load test of the last evening (benchmarks/deadline_rush/README.md): PostgreSQL on 127.0.0.1,
# gunicorn, locust; about 6 minutes; drops and recreates the admissions_bench* databases.
.PHONY: bench-deadline-rush
bench-deadline-rush: install
	@$(PY) benchmarks/deadline_rush/run.py $(BENCH_ARGS)

# The back office at scale (benchmarks/back_office/README.md): PostgreSQL on 127.0.0.1,
# gunicorn, locust; drops and recreates the admissions_bench_back_office_<size> databases
# (BENCH_ARGS="--reuse" keeps those already filled).
.PHONY: bench-back-office
bench-back-office: install
	@$(PY) benchmarks/back_office/run.py $(BENCH_ARGS)

# The exam timetables at campaign scale (benchmarks/exams/README.md, "Solver"): pure rules, no
# database; 450 candidates over 10 days, CP-SAT on one core; about a minute.
.PHONY: bench-exams-solver
bench-exams-solver: install
	@$(PY) benchmarks/exams/solver.py $(BENCH_ARGS)

# The final list for 100,000 admitted candidates (benchmarks/final_list/README.md): pure
# Python, no database; prints time and peak memory against the targets (2 s, 500 MB).
.PHONY: bench-final-list
bench-final-list: install
	@$(PY) benchmarks/final_list/run.py $(BENCH_ARGS)

# The exam-day booking race (benchmarks/exams/README.md): PostgreSQL on 127.0.0.1, gunicorn with
# 2 workers, 500 simultaneous choosers for 300 seats; drops and recreates admissions_bench_exams.
.PHONY: bench-exams-booking
bench-exams-booking: install
	@$(PY) benchmarks/exams/booking_race.py $(BENCH_ARGS)
