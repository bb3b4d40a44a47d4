# Dutch patient-information chatbot about metastases. `make help` lists the targets.
SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
# Rasa's command line through serving/cli.py: private files, the known third-party warnings
# filtered where they are raised, no user text in logs
RASA  := $(BIN)/python -m serving.cli
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)

.DEFAULT_GOAL := help
.PHONY: help install train validate lint test test-stories pytest evaluate shell run purge clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

install: ## set everything up: Python 3.10 venv, pinned packages, Dutch spaCy pipeline, widget, test services
	@bash scripts/install.sh

train: ## train the model into models/ (skipped by Rasa when nothing changed)
	@$(RASA) train --quiet --config config.yml --domain domain.yml --data data --out models

validate: ## check domain and training data (fails on warnings)
	@$(RASA) data validate --fail-on-warning --config config.yml --domain domain.yml --data data

lint: ## static checks on the Python code
	@$(BIN)/ruff check actions bench channels components scripts serving tests

test-stories: train ## test conversations (tests/test_stories.yml) through NLU and dialogue
	@$(RASA) test core --model models --stories tests/test_stories.yml \
	  --fail-on-prediction-errors --out results/stories

pytest: ## unit, content and end-to-end tests (needs a trained model for the end-to-end ones)
	@$(BIN)/python -m pytest

test: lint validate train test-stories pytest ## everything CI checks; ends with pytest's summary

evaluate: train ## blind corpus through the running bot (results/blind.md), NLU report (tests/nlu), readability
	@$(BIN)/python scripts/blind_eval.py
	@$(RASA) test nlu --model models --nlu tests/nlu --out results/nlu
	@$(BIN)/python scripts/nlu_summary.py results/nlu
	@$(BIN)/python scripts/readability.py

shell: ## chat in the terminal (trains first if there is no model)
	@ls models/*.tar.gz >/dev/null 2>&1 || $(MAKE) --no-print-directory train
	@bash scripts/shell.sh

run: ## start action server and Rasa server (Ctrl-C stops both)
	@ls models/*.tar.gz >/dev/null 2>&1 || $(MAKE) --no-print-directory train
	@bash scripts/run.sh

purge: ## delete stored conversations older than RETENTION_DAYS (30) from the configured store
	@$(BIN)/python scripts/purge.py

.PHONY: test-repeat
SERVER_TESTS := tests/test_lock_store.py tests/test_persistence.py tests/test_rest.py \
  tests/test_fuzz.py tests/test_api_security.py tests/test_privacy.py tests/test_privacy_e2e.py \
  tests/test_concurrency.py tests/test_widget.py tests/test_widget_privacy.py \
  tests/test_telegram.py tests/test_shell.py tests/test_sessions.py tests/test_limits.py \
  tests/test_logs.py
N ?= 10
test-repeat: train ## run the tests that start servers N times in a row (make test-repeat N=10)
	@for i in $$(seq 1 $(N)); do \
	  echo "== run $$i of $(N)"; \
	  $(BIN)/python -m pytest -q -p no:randomly $(SERVER_TESTS) | grep -E "^(FAILED|ERROR) | (passed|failed|error)"; \
	  [ $${PIPESTATUS[0]} -eq 0 ] || { echo "run $$i of $(N) FAILED"; exit 1; }; \
	done; echo "all $(N) runs passed"

.PHONY: bench bench-smoke
bench: ## benchmark shipped config vs Rasa's default, product stack vs stock Rasa (~35 min) into results/
	@$(BIN)/python -m bench.bench

bench-smoke: ## every part of the benchmark with tiny counts, shipped config only (~3 min) into results/smoke/
	@$(BIN)/python -m bench.bench --smoke

clean: ## remove trained models and test results
	rm -rf models results .rasa
