# The two commands of the README: `make run` and `make test`. Both do all the set-up they need.
VENV       := .venv
PY         := $(VENV)/bin/python
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PKGS   := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-wqy-microhei
# the end-to-end tests drive Debian's Chromium; the load check runs wrk against nginx; `make run` needs none
TEST_PKGS  := chromium wrk nginx-light
# pg_dump and pg_restore for `flask backup` and `restore`, only where PostgreSQL is used (SQLite needs neither)
PG_CLIENT  := $(if $(filter postgresql%,$(TEST_DATABASE) $(DATABASE_URL)),postgresql-client)
HOST       ?= 127.0.0.1
PORT       ?= 5000
PYTEST     := $(PY) -m pytest -p no:cacheprovider

.PHONY: setup system-packages translations run test lint test-fast test-slow screenshots bench clean

setup: system-packages $(VENV)/.installed translations

system-packages:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	python3 -c 'import ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$(PG_CLIENT)" ] && ! command -v pg_dump >/dev/null; then missing="$$missing $(PG_CLIENT)"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: requirements.lock
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	touch $@

translations: $(VENV)/.installed
	@$(PY) -m babel.messages.frontend compile -d translations

run: export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
run: setup
	$(PY) -m flask --app wsgi db upgrade
	$(PY) -m flask --app wsgi demo load
	@$(PY) -m flask --app wsgi settings check
	@echo ""
	@echo "  Serving the pilot plant at http://$(HOST):$(PORT)/ with one background-job worker   (Ctrl-C stops both)"
	@echo ""
	scripts/serve-with-worker --bind $(HOST):$(PORT) --workers 2 --worker-class gthread --threads 4 --timeout 30 \
	  --access-logfile -

test: APT_PKGS += $(TEST_PKGS)
test: setup lint test-slow test-fast

# ruff (lint and format check) over the whole tree; mypy --strict on the pure core (pyproject.toml says which)
lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

test-fast:
	$(PYTEST) -n 2 -m "not slow" tests

test-slow:
	$(PYTEST) -m slow tests; status=$$?; [ $$status -eq 5 ] && exit 0 || exit $$status

# the README's screenshots: the demo plant in a throwaway SQLite database, pictured in Chromium
screenshots: APT_PKGS += $(TEST_PKGS)
screenshots: setup
	$(PY) -m tests.e2e.screenshots docs/screenshots

# every benchmark of docs/benchmarks.md (about 36 minutes)
bench: APT_PKGS += wrk nginx-light
bench: setup
	$(PY) -m bench.scheduler
	$(PY) -m bench.load
	$(PY) -m bench.invoice_pdf
	$(PY) -m bench.subsidy
	$(PY) -m bench.jobs
	$(PY) -m bench.etax
	$(PY) -m bench.process_data
	$(PY) -m bench.disruption_service
	$(PY) -m bench.registration_lock

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
