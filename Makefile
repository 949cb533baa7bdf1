# Saferhub: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: install run test test-fast test-browser lint typecheck migrations-check css worker bench bench-partitioned clean

install: $(VENV)/.installed node_modules/.installed saferhub/static/saferhub/saferhub.css

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Saferhub needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

saferhub/static/saferhub/saferhub.css: node_modules/.installed $(shell find saferhub/static_src -type f 2>/dev/null)
	npm run --silent build

css:
	npm run --silent build

var:
	mkdir -p var

run: install var
	$(PY) manage.py migrate --noinput
	SAFERHUB_DEMO=1 SITE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py load_demo
	@echo "Saferhub is at http://127.0.0.1:$(PORT)/  (stop with Ctrl+C)"
	SAFERHUB_DEMO=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: install
	$(PY) manage.py db_worker

# Browser tests run when Debian's chromium is installed (CI installs it).
test: install
	@if [ -x $(CHROMIUM) ]; then $(PY) -m pytest $(PYTEST_ARGS); \
	else echo "chromium not found: skipping browser tests (apt-get install chromium)"; $(PY) -m pytest -m "not browser" $(PYTEST_ARGS); fi

test-browser: install
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy saferhub

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# Every benchmark as one table (figure, budget, measured, reference, ratio); data from bench/generate.py.
bench: install
	$(PY) bench/run.py

# The case list and a return on a copy of the bench data partitioned by partnership (docs/scaling.md).
bench-partitioned: install
	$(PY) bench/partitioned.py

clean:
	rm -rf $(VENV) node_modules saferhub/static/saferhub var/test-*
