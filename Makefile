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

.PHONY: run test setup venv local-models assets lint typecheck imports pytest bench messages clean

run: setup
	AIOFFICE_DEBUG=1 $(BIN)/aioffice run

test: setup lint typecheck imports pytest

setup: venv local-models assets

venv: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --inexact: keep what is installed beside the lock (the local-model packages below); a
# package dropped from the lock stays in an existing .venv until `make clean` (CI clones afresh)
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --inexact --python $(PYTHON)
	@touch $@

# Local Transformers models (torch CPU build, transformers): installed only from a local wheel of
# torch for the venv's Python, found in pip's find-links (PIP_FIND_LINKS or pip's config; here
# /opt/wheels); never from PyPI, whose torch is a CUDA build of several GB. Without such a wheel
# the local-model tests skip. The lock's pins constrain the install, so nothing locked changes.
LOCAL_MODELS := requirements/local-models.txt
LOCAL_WHEELS ?= $(or $(PIP_FIND_LINKS),$(shell $(PYTHON) -m pip config get global.find-links 2>/dev/null))
TORCH_PIN = $(shell sed -n 's/^torch==//p' $(LOCAL_MODELS))

local-models: $(VENV)/.local-models

$(VENV)/.local-models: $(VENV)/.synced $(LOCAL_MODELS)
	@tag=$$($(BIN)/python -c 'import sys; print("cp%d%d" % sys.version_info[:2])'); \
	wheel=$$(for dir in $(LOCAL_WHEELS); do ls "$$dir"/torch-$(TORCH_PIN)-$$tag-$$tag-*_$$(uname -m).whl 2>/dev/null; done | head -n 1); \
	if [ -z "$$wheel" ]; then \
	  echo "local models: no local wheel torch-$(TORCH_PIN)-$$tag in '$(LOCAL_WHEELS)' (pip's find-links); not installing torch, the local-model tests will be skipped"; \
	else \
	  echo "local models: torch $(TORCH_PIN) from $$wheel, with $(LOCAL_MODELS)"; \
	  $(UV) export --frozen --no-hashes --no-emit-project --format requirements-txt --quiet -o $(VENV)/.lock-constraints.txt && \
	  $(UV) pip install --quiet --python $(BIN)/python --find-links "$$(dirname "$$wheel")" \
	    -r $(LOCAL_MODELS) -c $(VENV)/.lock-constraints.txt && \
	  touch $@; \
	fi

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
	$(BIN)/python bench/evals.py --samples 1000
	$(BIN)/python bench/supervision.py

# Extract and compile the English, French and German catalogues (needs GNU gettext).
messages: venv
	cd src/aioffice && ../../$(BIN)/django-admin makemessages -l fr -l de -l en --no-obsolete
	cd src/aioffice && ../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var/assets .pytest_cache .mypy_cache .ruff_cache .coverage
