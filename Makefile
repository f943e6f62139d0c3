# SGS Portal. `make demo` serves the demo district; `make test` runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: demo test install install-test lint worker beat benchmark

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Development server on SQLite (unless DATABASE_URL says otherwise); tasks run in-process.
demo: export DEBUG ?= true
demo: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py evaluate_benchmarks
	$(PY) manage.py runserver 127.0.0.1:8000

# The whole suite. pytest exits 5 when it collected no test: that is a failure here, not a pass.
test: $(VENV)/.installed-test
	@if [ -f package-lock.json ] && command -v npm >/dev/null && [ ! -d node_modules/axe-core ]; then npm ci --no-audit --no-fund; fi
	@$(VENV)/bin/pytest -p no:cacheprovider $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

# What CI checks before the suite: lint rules, formatting, and no model change without its migration.
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	SECRET_KEY=lint $(VENV)/bin/python manage.py makemigrations --check --dry-run

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A sgs_portal worker --loglevel=INFO

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A sgs_portal beat --loglevel=INFO
