# aioffice: `make run` serves the platform with demo data; `make test` runs every check.
# Needs only Python >= 3.11, git, make, Node and npm; everything else is installed here.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test setup venv assets lint typecheck imports pytest bench messages clean

run: setup
	AIOFFICE_DEBUG=1 $(BIN)/aioffice run

test: setup lint typecheck imports pytest

setup: venv assets

venv: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

assets: var/assets/.collected

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

var/assets/.collected: node_modules/.installed scripts/collect_assets.py
	$(BIN)/python scripts/collect_assets.py
	@touch $@

lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: venv
	AIOFFICE_DEBUG=1 $(BIN)/mypy

imports: venv
	$(BIN)/lint-imports --no-cache

pytest: setup
	$(BIN)/pytest -n 2 --cov --cov-report= $(PYTEST_ARGS)
	$(BIN)/coverage report --include='src/aiact/*' --fail-under=100 --skip-covered --show-missing
	$(BIN)/coverage report --skip-covered --format=total | sed 's/^/total line coverage of src: /;s/$$/%/'

bench: setup
	$(BIN)/python bench/rules.py

# Extract and compile the English, French and German catalogues (needs GNU gettext).
messages: venv
	cd src/aioffice && ../../$(BIN)/django-admin makemessages -l fr -l de -l en --no-obsolete
	cd src/aioffice && ../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var/assets .pytest_cache .mypy_cache .ruff_cache .coverage
