# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py

# Development defaults; production sets DEBUG=0 and SECRET_KEY itself (README.md). The test
# settings always run with DEBUG off, whatever is set here.
export DEBUG ?= 1

.PHONY: setup run test lint migrate demo translations messages worker beat clean

setup: $(VENV)/.installed node_modules/.installed translations

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: $(VENV)/.installed
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

# Refresh the English and Nynorsk catalogues after changing Bokmål source texts.
messages: $(VENV)/.installed
	$(MANAGE) makemessages -l en -l nn --ignore=.venv --ignore=node_modules --ignore=tests --no-obsolete

migrate: setup
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

# Beside the dev server, run_sweeps runs the periodic sweeps (celery beat's schedule) in-process;
# with REDIS_URL set it declines, and `make worker` and `make beat` take over.
run: demo
	$(MANAGE) run_sweeps & sweeps=$$!; trap 'kill $$sweeps 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

# The suite runs in TEST_WORKERS processes (pytest-xdist), each on its own test database
# (test_<name>_gw0, …). The test databases are kept between runs (--reuse-db; with --create-db
# too they are made anew and then kept) and made anew when a migration
# changed since they were made, for this DATABASE_URL and number of workers (or on
# `make test TEST_DB=--create-db`). PYTEST_ARGS adds options.
# Four on two cores: much of the suite waits (on PostgreSQL, Celery and SMTP processes, Chromium),
# and four workers finished the suite in 4m44s where two took 5m50s (serial: 6m48s).
TEST_WORKERS ?= 4
TEST_DB ?=
test: setup
	@mkdir -p var
	@stamp="var/.test-db-$$(printf '%s %s' "$$DATABASE_URL" "$(TEST_WORKERS)" | sha1sum | cut -c1-12)"; \
	migrations="$$(sha1sum */migrations/*.py | sha1sum | cut -d' ' -f1)"; \
	db="$(TEST_DB)"; \
	if [ -z "$$db" ]; then \
	  if [ "$$(cat "$$stamp" 2>/dev/null)" != "$$migrations" ]; then db=--create-db; fi; \
	fi; \
	echo "$(PY) -m pytest -n $(TEST_WORKERS) --reuse-db $$db $(PYTEST_ARGS)"; \
	status=0; $(PY) -m pytest -n $(TEST_WORKERS) --reuse-db $$db $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -le 1 ]; then echo "$$migrations" > "$$stamp"; fi; \
	exit $$status

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

worker: setup
	$(VENV)/bin/celery -A dialog_portal worker --loglevel=INFO

beat: setup
	$(VENV)/bin/celery -A dialog_portal beat --loglevel=INFO

clean:
	rm -rf $(VENV) node_modules staticfiles var
