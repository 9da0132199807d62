# Two commands do everything: `make run` and `make test`. Both create .venv when missing.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
LOCK := requirements/requirements.lock
STAMP := $(VENV)/.installed
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false

.PHONY: run shell test model evaluate venv lock billing clean

run: $(STAMP)
	$(BIN)/python -m bot.run

shell: $(STAMP)
	$(BIN)/python -m bot.run --shell

test: $(STAMP) model
	$(BIN)/python -m pytest

# Trains only when config, domain or data changed since the last model (rasa compares fingerprints).
model: $(STAMP)
	$(BIN)/rasa train --fixed-model-name billing-assistant --out models

evaluate: $(STAMP) model
	$(BIN)/python -m bot.evaluation

venv: $(STAMP)

$(STAMP): $(LOCK)
	@if [ ! -x $(BIN)/python ]; then \
	  py=$$(scripts/find-python) || exit 1; \
	  echo "Creating $(VENV) with $$py"; \
	  "$$py" -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip==24.3.1
	$(BIN)/python -m pip install --quiet --no-deps -r $(LOCK)
	$(BIN)/python -m pip check
	touch $(STAMP)

# Recompile the lock file after editing requirements/requirements.in.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools==7.4.1
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url -o $(LOCK) requirements/requirements.in

billing: $(STAMP)
	$(BIN)/python -m bot.billing serve --seed

clean:
	rm -rf $(VENV) var models/*.tar.gz reports
