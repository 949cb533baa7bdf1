# Saferhub: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
UV_VERSION := 0.13.9

.PHONY: install run serve test test-fast test-browser lint typecheck migrations-check css worker backup restore bench bench-partitioned clean

install: $(VENV)/.installed node_modules/.installed saferhub/static/saferhub/saferhub.css

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Saferhub needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	@# uv installs the same pinned requirements as pip would, in seconds rather than minutes.
	$(VENV)/bin/pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements-dev.txt
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

# The local demo: DEBUG on (Django's technical pages), no second factor, e-mailed links to this port.
run: export DEBUG = True
run: export SAFERHUB_DEMO = 1
run: export SITE_URL = http://127.0.0.1:$(PORT)
run: install var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Saferhub is at http://127.0.0.1:$(PORT)/  (stop with Ctrl+C)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production (docs/deploy.md): gunicorn with DEBUG off on PostgreSQL; WhiteNoise serves the static files.
# gunicorn's own access log stays off: it would print query strings, which can hold names.
BIND ?= 127.0.0.1:$(PORT)
serve: install
	@test -n "$$SECRET_KEY" || { echo "make serve: set SECRET_KEY to a long random string, e.g. $$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')"; exit 1; }
	@test -n "$$ALLOWED_HOSTS" || { echo "make serve: set ALLOWED_HOSTS to the host names Saferhub answers to, comma-separated (e.g. saferhub.example.org)"; exit 1; }
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "make serve: set DATABASE_URL to a PostgreSQL database, e.g. postgres://saferhub@127.0.0.1:5432/saferhub"; exit 1;; esac
	@case "$$DEBUG" in ""|0|false|False|FALSE|no|off) ;; *) echo "make serve: DEBUG is set to '$$DEBUG': unset it, production runs with DEBUG off"; exit 1;; esac
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	$(PY) manage.py check --deploy
	@echo "Saferhub (production) is listening on $(BIND)"
	exec $(VENV)/bin/gunicorn saferhub.wsgi --bind $(BIND) --timeout $${GUNICORN_TIMEOUT:-60} --graceful-timeout 30

# The background worker (django-tasks database backend) with a heartbeat that /healthz reports.
worker: install
	$(PY) manage.py run_worker

# Back up the database and uploaded files into one archive (var/backups/ unless FILE=path is given).
backup: install
	$(PY) manage.py backup $(if $(FILE),--output "$(FILE)")

# Replace the database and uploaded files with a backup's: make restore FILE=var/backups/saferhub-....tar.gz
restore: install
	@test -n "$(FILE)" || { echo "make restore: say which backup, e.g. make restore FILE=var/backups/saferhub-20260401-020000.tar.gz"; exit 1; }
	$(PY) manage.py restore "$(FILE)"

# Browser tests run when Debian's chromium is installed (CI installs it). The suite runs on every
# core (pytest-xdist; each worker has its own test database); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install
	@if [ -x $(CHROMIUM) ]; then $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS); \
	else echo "chromium not found: skipping browser tests (apt-get install chromium)"; $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not browser" $(PYTEST_ARGS); fi

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
