PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
PORT ?= 8000
# The project's apps, bottom floor first (docs/architecture.md); each keeps its own catalogue.
APPS := core imports employers inspections complaints ratings planning partners supervision

.PHONY: install run test lint format messages worker beat bench screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/pip || $(PY) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo 'Cannot create .venv: install the venv module (Debian: apt-get install python3-venv).' >&2; exit 1; }
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	DJANGO_DEBUG=1 $(MANAGE) migrate --no-input -v0
	@echo
	@echo "================================================================================"
	@DJANGO_DEBUG=1 $(MANAGE) seed_demo
	@echo
	@echo "  Open http://127.0.0.1:$(PORT)/ and log in with one of the demo logins above."
	@echo "  Stop the server with Ctrl-C; 'make run' again keeps the data."
	@echo "================================================================================"
	@echo
	DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	for d in . $(APPS); do \
	  test -d $$d || continue; \
	  (cd $$d && $(CURDIR)/$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete -i '.venv/*' $(foreach a,$(APPS),-i '$(a)/*') -i 'tests/*' -i 'bench/*' -i 'staticfiles/*' -i 'deploy/*' >/dev/null 2>&1 || true); \
	done
	$(BIN)/django-admin compilemessages -i .venv >/dev/null

# Local worker and beat (Redis running): the development settings, but tasks really go through
# the broker (DJANGO_DEBUG alone makes them eager, and beat would then run them itself).
worker: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} CELERY_TASK_ALWAYS_EAGER=0 $(BIN)/celery -A xiqing_credit worker -l info

beat: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} CELERY_TASK_ALWAYS_EAGER=0 $(BIN)/celery -A xiqing_credit beat -l info --schedule $(VENV)/celerybeat-schedule

bench: install
	$(BIN)/python bench/run.py

# docs/screenshots/*-375.png: the registry, the watchlist, the complaints list, my day and the
# coverage page with its chart on a 375 px phone, from the seeded lists of
# tests/browser/phone_data.py (needs /usr/bin/chromium).
screenshots: install
	SCREENSHOTS=1 $(BIN)/pytest -q -p no:xdist tests/browser/test_screenshots.py
