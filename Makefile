# Quick start:  make demo   (set up and draw maps/demo.html from data/articles)
#               make test   (run the whole test suite)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup browser pdftools postgis demo test bench clean

setup: $(STAMP) browser pdftools postgis

# setup.py compiles the sub-packages geoinc/native.py lists (TWINNED) with mypyc: reinstall when they change
$(STAMP): pyproject.toml setup.py geoinc/native.py $(wildcard geoinc/geoparser/*.py) $(wildcard geoinc/incidents/*.py) \
		$(wildcard geoinc/claims/*.py)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,postgis,dask]"
	$(BIN)/geoinc gazetteer build --quiet || true
	touch $(STAMP)

# Headless Chromium and its driver from Debian, for map tests and --png (only when missing).
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "note: install Debian's chromium and chromium-driver for map screenshots and browser tests"; fi; \
	fi

# pdftotext from Debian's poppler-utils, for the report PDF tests (only when missing).
pdftools:
	@if ! command -v pdftotext >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
	      || echo "warning: could not install poppler-utils; the report PDF test will be skipped"; \
	  else echo "note: install Debian's poppler-utils for the report PDF test"; fi; \
	fi

# PostgreSQL + PostGIS from Debian, for the PostGIS store tests (only when missing); the tests start their
# own throwaway server in a temporary folder, so no system service is configured or used.
postgis:
	@if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-postgis >/dev/null) \
	      || echo "warning: could not install PostgreSQL/PostGIS; PostGIS tests will be skipped"; \
	  else echo "note: install Debian's postgresql and postgresql-postgis for the PostGIS store tests"; fi; \
	fi

demo: setup
	$(BIN)/geoinc demo

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	for f in bench/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info maps/*.html maps/*.png
