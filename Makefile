# revpages: `make site` builds the site into build/, `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test lint bench data serve clean chromium guide-images dist

site: $(VENV)/.installed data
	$(BIN)/revpages build

serve: $(VENV)/.installed data
	$(BIN)/revpages serve

# Sample exports only when data/ is empty: real exports are never overwritten.
data: $(VENV)/.installed
	@if [ -z "$$(ls -A data 2>/dev/null)" ]; then $(BIN)/revpages sample-data --output data; fi

test: $(VENV)/.installed-test chromium
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -n 2 --junitxml=test-artifacts/junit.xml

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench

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

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf build .build.* dist test-artifacts .pytest_cache
