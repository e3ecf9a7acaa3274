# Alliance — two commands: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ALLIANCE := $(BIN)/alliance
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= county

.PHONY: demo test install install-test system-deps messages migrate seed serve lint format \
        migrations-check test-postgres bench worker ci clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed messages

install-test: $(VENV)/.installed-test system-deps messages

# System packages: gettext (translations) always; Chromium for the browser tests.
system-deps:
	@command -v msgfmt >/dev/null && { [ -n "$(NO_BROWSER)" ] || [ -x /usr/bin/chromium ]; } || { \
	  echo "Installing system packages (gettext, chromium)…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    gettext $$( [ -n "$(NO_BROWSER)" ] || echo chromium fonts-dejavu-core ) >/dev/null; }

messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || $(MAKE) --no-print-directory system-deps NO_BROWSER=1
	cd alliance && ../$(ALLIANCE) compilemessages -v0 --ignore=.venv

migrate: install
	$(ALLIANCE) migrate --no-input -v0

seed: migrate
	@$(ALLIANCE) shell -c "from alliance.members.models import Alliance; import sys; sys.exit(0 if Alliance.objects.exists() else 1)" 2>/dev/null \
	  && echo "Demo data already loaded (remove var/alliance.sqlite3 to start over)." \
	  || $(ALLIANCE) seed --scale $(SCALE)

demo: seed
	@echo ""
	@echo "  Alliance is running at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password: alliance-demo):"
	@echo "    hub@example.org            hub admin"
	@echo "    director1@example.org      director, Little Learners (center)"
	@echo "    director2@example.org      director, Sunshine (another center)"
	@echo "    provider1@example.org      family child care home owner"
	@echo "    staff1@example.org         teacher (also a substitute)"
	@echo "    sub1@example.org … sub20@example.org   substitutes"
	@echo "    family1@example.org        parent"
	@echo "    committee1@example.org     Advisory Committee"
	@echo ""
	ALLIANCE_DEMO=1 DEBUG=1 $(ALLIANCE) runserver $(HOST):$(PORT)

worker: install
	$(ALLIANCE) worker

test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(ALLIANCE) makemigrations --check --dry-run -v0
	$(BIN)/pytest -n 2 -q

test-postgres: install-test
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/alliance} $(BIN)/pytest -n 2 -q

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(ALLIANCE) makemigrations --check --dry-run

bench: install-test
	$(BIN)/python bench/run.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var build *.egg-info
