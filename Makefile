# 综治中心智能受理助手 — every command sets up what it needs on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The intake service's own virtualenv (no Rasa, a current aiohttp): docs/intake-service-env.md
IVENV  := .venv-intake
IPY    := $(IVENV)/bin/python
ISTAMP := $(IVENV)/.installed
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0
export RASA_TELEMETRY_ENABLED := false

.PHONY: help setup-machine install install-intake train run cluster bench-cluster test test-python test-stories validate lint eval bench shell clean

help:
	@echo "make run    - set up, train if the data changed, start the whole stack (SQLite under var/)"
	@echo "make test   - set up, train if needed, run every test (lint, data validation, pytest, stories)"
	@echo "make cluster [N=2] - N instances behind HAProxy on PostgreSQL + Redis (BALANCER_PORT, default 8000)"
	@echo "make setup-machine - system packages for the browser tests (Debian's chromium, a Chinese font; as root)"
	@echo "make install-intake - the intake service's own virtualenv .venv-intake (no Rasa, current aiohttp)"
	@echo "make train | shell | lint | validate | eval | bench | bench-cluster | clean"

$(STAMP): pyproject.toml constraints.txt
	@py=$$(scripts/find-python310.sh) || exit 1; \
	  [ -x $(PY) ] || { echo "creating $(VENV) with $$py"; $$py -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade "pip==24.3.1" "setuptools<70" wheel
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

# Only what bot.service, bot.storage and bot.cli import (requirements-intake.in, pinned in
# constraints-intake.txt), then the project itself without its Rasa dependencies.
$(ISTAMP): requirements-intake.in constraints-intake.txt pyproject.toml
	@py=$$(scripts/find-python310.sh) || exit 1; \
	  [ -x $(IPY) ] || { echo "creating $(IVENV) with $$py"; $$py -m venv $(IVENV); }
	$(IPY) -m pip install --quiet --upgrade "pip==24.3.1" "setuptools<70" wheel
	$(IPY) -m pip install --quiet -c constraints-intake.txt -r requirements-intake.in
	$(IPY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(ISTAMP)

install-intake: $(ISTAMP)

# Machine set-up, apart from the virtualenv: Debian's chromium and fonts-wqy-zenhei (a Chinese font)
# for the browser tests and their screenshots, installed with apt-get when run as root. Elsewhere it
# says what is missing and skips; the browser tests then skip too. See scripts/setup-machine.sh.
setup-machine:
	@scripts/setup-machine.sh

train: $(STAMP)
	$(PY) -m tools.training

run: setup-machine train $(ISTAMP)
	$(PY) -m tools.stack

# Several complete instances behind HAProxy, sharing PostgreSQL (DATABASE_URL) and Redis (REDIS_URL):
# README "Running several instances". N instances, default 2.
N ?= 2
cluster: setup-machine train $(ISTAMP)
	$(PY) -m tools.cluster --instances $(N)

bench-cluster: train $(ISTAMP)
	$(PY) -m tools.bench.cluster

shell: train
	@mkdir -p var/log; $(PY) -m rasa_sdk --actions actions -p 5055 > var/log/actions-shell.log 2>&1 & pid=$$!; \
	  trap "kill $$pid 2>/dev/null" EXIT; \
	  $(PY) -m connectors.launcher shell --model "$$($(PY) -m tools.training --print-path)" --endpoints endpoints.yml

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check bot actions connectors tools tests
	$(PY) -m mypy

validate: $(STAMP)
	$(PY) -m rasa data validate --config config.yml --domain domain --data nlu_data/nlu data

test-python: $(STAMP) $(ISTAMP)
	$(PY) -m pytest -q -p no:cacheprovider

# Conversation tests, once with the project's Rasa patches (as `make run` serves) and once on plain Rasa.
test-stories: train
	@for speedups in 1 0; do echo "conversation tests, RASA_SPEEDUPS=$$speedups"; \
	  RASA_SPEEDUPS=$$speedups $(PY) -m connectors.launcher test core \
	    --model "$$($(PY) -m tools.training --print-path)" \
	    --stories tests --out var/results/core-$$speedups --fail-on-prediction-errors --no-plot || exit 1; \
	done

test: setup-machine lint validate train test-python test-stories

eval: train
	$(PY) -m tools.evaluation

bench: train
	$(PY) -m tools.bench

clean:
	rm -rf $(VENV) $(IVENV) models var reports results .pytest_cache .ruff_cache .mypy_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
