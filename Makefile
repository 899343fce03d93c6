# The commands a person types. `make run` and `make test` work on a fresh clone with only
# Python 3.11+: they create (or reuse) .venv and install the pinned dependencies first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE ?= 1
export HF_HUB_DISABLE_TELEMETRY ?= 1
export GRADIO_ANALYTICS_ENABLED ?= False
export RAGAS_DO_NOT_TRACK ?= true
export ANONYMIZED_TELEMETRY ?= False

.PHONY: install run test lint format ingest search bench clean graph-cases browser eval

# The quality gate runs on its own index (weights-free lsa, offline answers) so that it measures
# the same configuration on every machine and never replaces the index `make run` serves.
EVAL_ENV := MENTOR_INDEX_DIR=build/eval-index MENTOR_EMBED=lsa MENTOR_LLM=none MENTOR_RERANK=none

install: $(STAMP)

# torch 2.13.0 (CPU build, on the machines' find-links path) goes in first: otherwise
# sentence-transformers pulls the newest torch with several GB of CUDA packages.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

ingest: install
	$(BIN)/mentor ingest

# Build the index if missing or stale, then serve the web app and API on http://127.0.0.1:7860
run: install
	$(BIN)/python app.py

# Debian packages some tests drive: Chromium (browser tests), Graphviz (the curriculum map),
# PostgreSQL (the database tests) and nginx (deploy/nginx.conf's routing). Installed when we can
# (root + apt); otherwise the tests that need them are skipped with their reason shown.
SYSTEM_PACKAGES := chromium:chromium dot:graphviz /usr/lib/postgresql:postgresql /usr/sbin/nginx:nginx
browser:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do tool=$${pair%%:*}; pkg=$${pair##*:}; \
	  { command -v $$tool >/dev/null 2>&1 || [ -e $$tool ]; } || missing="$$missing $$pkg"; done; \
	  [ -z "$$missing" ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null 2>&1; } || \
	  echo "note: could not install$$missing; the tests that need them will be skipped"

# Lint and format check (ruff, settings in pyproject.toml); `make format` applies the formatting.
LINTED := src tests benchmarks app.py
lint: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: install
	$(BIN)/ruff check --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

test: install browser lint
	$(BIN)/python -m pytest -q
	$(MAKE) --no-print-directory eval

# The offline evaluation suite with its gate (evals/thresholds.toml): exits 1 on a quality drop.
eval: install
	$(EVAL_ENV) $(BIN)/mentor ingest --no-progress
	$(EVAL_ENV) $(BIN)/mentor eval --suite offline --quiet

bench: ingest
	$(BIN)/python benchmarks/retrieval.py
	$(BIN)/python benchmarks/curriculum.py
	$(BIN)/python benchmarks/ask.py
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf index/active index/builds index/.active-* .pytest_cache

# Regenerate the graph-derived golden cases after changing corpus/curriculum.yaml.
graph-cases: install
	$(BIN)/python -c "from mentor.deps import Deps; from mentor.config import Settings; from mentor.evaluation.datasets import write_graph_cases; from pathlib import Path; print(write_graph_cases(Deps(Settings()).curriculum, Path('evals/graph_cases.jsonl')), 'cases')"
