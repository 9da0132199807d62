# Two commands do everything: `make run` and `make test`. Both create .venv when missing.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
LOCK := requirements/requirements.lock
STAMP := $(VENV)/.installed
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false

.PHONY: run shell test model evaluate venv lock billing browser clean

WEB_STAMP := website/node_modules/.installed

run: $(STAMP) $(WEB_STAMP)
	$(BIN)/python -m bot.run

shell: $(STAMP)
	$(BIN)/python -m bot.run --shell

test: $(STAMP) $(WEB_STAMP) model browser
	$(BIN)/python -m pytest

# The widget's socket.io client, from the npm registry (website/package-lock.json).
$(WEB_STAMP): website/package-lock.json
	cd website && npm ci --no-audit --no-fund
	touch $(WEB_STAMP)

# The website tests drive Debian's chromium; a test tool's own browser download fails here.
browser:
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

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
	rm -rf $(VENV) var models/*.tar.gz reports website/node_modules
