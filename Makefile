# Two commands: `make run` serves the portal on http://localhost:8501, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-services lint setup clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed
	$(PY) -m portal setup

run: setup
	$(PY) -m streamlit run app.py --server.port $(PORT)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .

test: lint
	$(PY) -m pytest

# The service tests alone, e.g. again on PostgreSQL: DATABASE_URL=postgresql+psycopg://…/portal_test
test-services: $(VENV)/.installed-test
	$(PY) -m pytest tests/services

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
