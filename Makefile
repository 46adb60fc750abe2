# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The development server's port: `make run PORT=8101` (or PORT in the environment). Passed to Django as PORT, from
# which the settings take SITE_URL (the links in the emails the console shows) unless SITE_URL is set.
PORT   ?= 8000

.PHONY: run test install migrate demo lint messages screenshots worker beat check-deploy clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

# Seeding sends emails (to the console by default) with links on PORT; the demo logins come last.
demo: migrate
	PORT=$(PORT) $(PY) manage.py seed_demo

run: demo
	@echo "Portal: http://127.0.0.1:$(PORT)  (embedded default: SQLite, eager Celery, console email)"
	PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run --settings=alumni_portal.settings.test
	$(PY) -m pytest $(PYTEST_ARGS)

# Regenerate the translation catalogues after changing visible strings (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages -l id -l en --ignore=.venv --ignore=static/vendor --no-obsolete
	$(PY) manage.py makemessages -d djangojs -l id -l en --ignore=.venv --ignore=static/vendor --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

# Refresh the README's pictures: the browser journeys save their screenshots into docs/screenshots.
screenshots: install
	SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest -q tests/browser

# With REDIS_URL set: a real worker and the single beat process.
worker: install
	$(VENV)/bin/celery -A alumni_portal worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A alumni_portal beat --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
