# cangxanh: `make run` serves the portal, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# Test processes: two, one per core of a CI machine (tests/workers.py gives each its own var folder).
TEST_WORKERS ?= 2
MANAGE := $(BIN)/python manage.py

.PHONY: run serve install messages static migrate demo test lint bench bench-search soak clean cluster cluster-stop

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

# gettext's msgfmt compiles the catalogs; install it from Debian's packages when missing.
messages: install
	@command -v msgfmt >/dev/null || { echo "Installing gettext (msgfmt)"; apt-get install -y -qq gettext >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }; }
	$(MANAGE) compilemessages --ignore='.venv/*' --exclude en -v0
	@# English is the source language: its catalog repeats every msgid (tests/core/test_i18n.py),
	@# so it is not compiled, and each process is spared loading it (about 0.5 MiB).
	rm -f cangxanh/locale/en/LC_MESSAGES/*.mo

static: install
	$(MANAGE) collectstatic --noinput --clear -v0

migrate: install
	$(MANAGE) migrate --noinput -v0

demo: migrate
	$(MANAGE) demo

# In production (CANGXANH_PRODUCTION=1) `make run` migrates and serves, never loads the demo.
PRODUCTION_MODE := $(filter 1 true yes on,$(shell echo "$(CANGXANH_PRODUCTION)" | tr A-Z a-z))
run: messages static $(if $(PRODUCTION_MODE),migrate,demo) serve

# granian (WSGI, one blocking thread per worker), chosen by measurement: bench/README.md.
serve:
	@echo "cangxanh: serving on http://$(HOST):$(PORT)/ (demo logins: admin, approver, editor, translator, registry; password cangxanh-demo)"
	$(BIN)/python -m cangxanh.serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: messages static
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check cangxanh tests
	$(BIN)/ruff format --check cangxanh tests

# Pages: cangxanh cached and uncached against Wagtail 8 and nginx (bench/README.md).
bench: install messages
	$(BIN)/python bench/pages/run.py

bench-search: install
	$(BIN)/python bench/search_bench.py

# Ten minutes at twice an expected peak with publications under way (bench/soak.py); not in `make test`.
soak: install messages
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

# A cluster on one machine: PostgreSQL, Redis, two portal servers, HAProxy, Varnish (deploy/cluster.py).
cluster: messages static
	$(BIN)/python deploy/cluster.py start

cluster-stop:
	$(BIN)/python deploy/cluster.py stop

clean:
	rm -rf var/static test-artifacts .pytest_cache

# After changing interface strings: refresh every catalog, then translate what is new.
messages-update: install
	cd cangxanh && ../$(BIN)/python ../manage.py makemessages -l vi -l en -l ko -l ja -l zh_Hans --no-location --no-obsolete
