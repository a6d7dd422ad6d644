# The two commands of the README: `make run` and `make test`. Both need only Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install messages assets lint format bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(PY) -m cooperation.i18n

# Front-end assets (the chart library) from the npm registry, copied under the dashboard's
# static folder; see package.json. Without npm the dashboard still works, as tables only.
assets:
	@if [ -f package.json ]; then \
		command -v npm >/dev/null || { echo "warning: npm not found: the dashboard shows its figures without charts (install Node.js and rerun)"; exit 0; }; \
		[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; \
		npm run --silent build; \
	fi

run: install messages assets
	$(PY) manage.py runportal

# The suite runs on every core (pytest-xdist: one test database per process, test_<name>_gw0...).
# PYTEST_WORKERS=0 runs it in one process; PYTEST_ARGS adds pytest options (-k, a path...).
PYTEST_WORKERS ?= auto
test: install messages assets
	$(PY) manage.py check --database default >/dev/null  # starts the embedded PostgreSQL once, if used
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/sales_bulk.py
	$(PY) bench/locks.py

clean:
	rm -rf $(VENV) node_modules
