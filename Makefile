# revpages: `make site` builds the site into build/, `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

# Exact versions, with hashes, of everything installed: requirements.lock for the site,
# requirements-dev.lock adds the test tools. `make lock` writes both again.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
LOCK_FLAGS ?=
COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --quiet --custom-compile-command "make lock" $(LOCK_FLAGS)

.PHONY: site test test-fast lint lock bench data serve clean chromium guide-images dist

site: $(VENV)/.installed data
	$(BIN)/revpages build

serve: $(VENV)/.installed data
	$(BIN)/revpages serve

# Sample exports only when data/ is empty: real exports are never overwritten.
data: $(VENV)/.installed
	@if [ -z "$$(ls -A data 2>/dev/null)" ]; then $(BIN)/revpages sample-data --output data; fi

# The checks, then the whole suite (browser tests included).
test: lint chromium
	$(BIN)/pytest -n 2 --junitxml=test-artifacts/junit.xml

# The inner loop: every test but the browser suite and the slowest end-to-end ones.
test-fast: $(VENV)/.installed-test
	$(BIN)/pytest -n 2 -m "not browser and not slow"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# After a change to the dependencies in pyproject.toml; `make lock LOCK_FLAGS=--upgrade`
# also moves every pin to the newest release that fits.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q 'uv>=0.9,<1'
	$(COMPILE) --extra test -o $(DEV_LOCK)
	$(COMPILE) --constraint $(DEV_LOCK) -o $(LOCK)

# The guide's chart pictures, taken again from the starter reports in the browser.
guide-images: $(VENV)/.installed-test chromium
	REVPAGES_UPDATE_GUIDE_IMAGES=1 $(BIN)/pytest -q tests/browser/test_guide_images.py

# The wheel and source archive a site installs until revpages is on a package index
# (guide: Nightly CI > Installing revpages).
dist: $(VENV)/.installed-test
	rm -rf dist
	$(BIN)/python -m build --outdir dist .

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# Debian's chromium for the browser tests; playwright drives it, never downloads its own.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

$(VENV)/.installed: $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r $(LOCK)
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(DEV_LOCK) $(VENV)/.installed
	$(BIN)/pip install -q -r $(DEV_LOCK)
	touch $@

clean:
	rm -rf build .build.* dist test-artifacts .pytest_cache .mypy_cache
