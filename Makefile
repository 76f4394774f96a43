# regassist: two commands on a fresh machine — `make run` and `make test`.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

# modules held to mypy (models, settings, contracts and the pure layers)
TYPED := corpus assistant/web assistant/settings.py assistant/conversation.py assistant/schemas.py \
	assistant/answering/base.py assistant/answering/versions.py evals/load.py \
	index/settings.py index/stores/manifest.py index/retrieval/results.py index/retrieval/fusion.py \
	index/retrieval/language.py index/retrieval/courtesy.py index/embedding/base.py

.PHONY: setup run test bench lint eval index clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY)"; exit 1; }
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch: the CPU build on this machine's disk first, so nothing pulls a CUDA build
	$(BIN)/pip install -q "torch==2.13.0"
	$(BIN)/pip install -q -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

index: setup
	$(BIN)/regassist index build

run: index
	$(BIN)/regassist serve

# unit tests first (no model, no index: seconds), then the integration tests (real model, index, servers, browser)
test: setup
	$(BIN)/python -m pytest -q tests/unit
	$(BIN)/python -m pytest -q tests/integration

# the evaluation corpus: shipped + ../shared/corpus-extra added through the public add path, in its own data dir
EVAL_DIR := .regassist-data/eval
EVAL_ENV := REGASSIST_DATA_DIR=$(EVAL_DIR) REGASSIST_EMBEDDER_PATH=$(CURDIR)/.regassist-data/models/multilingual-e5-small

eval: index
	$(BIN)/python -m evals.extra_corpus --data-dir $(EVAL_DIR)
	$(EVAL_ENV) $(BIN)/regassist index build --quiet
	$(EVAL_ENV) $(BIN)/regassist eval --split all --variants --report reports/latest

# the speed/memory table, then the serving bench: 1 and 2 workers at 1, 8 and 32 clients against the same run's
# reference (one worker answering one question at a time)
bench: setup
	$(BIN)/python -m evals.bench
	$(BIN)/python -m evals.load --reference --workers 1,2 --clients 1,8,32 --seconds 20

# ruff (lint + format check), mypy on the typed packages, the layers contract (import-linter)
lint: setup
	$(BIN)/ruff check assistant corpus index evals tests
	$(BIN)/ruff format --check assistant corpus index evals tests
	$(BIN)/mypy $(TYPED)
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .regassist-data reports
