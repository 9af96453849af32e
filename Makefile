# The two commands of the README: `make run` and `make test`. Both do all set-up on a fresh
# machine and are idempotent: the venv is (re)installed only when pyproject.toml or
# constraints.txt changed since the last install.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint sample bench clean

# The main job: check the sample history, train the default model on it when there is none yet
# (MLflow run in var/mlflow.db, model file in models/), load a week of the sample into an empty store
# (moved by whole weeks, cut at now: the dashboard at /dashboard opens mid-week), then serve on 127.0.0.1:8000.
MODEL ?= models/escalation-risk.json
run: $(STAMP)
	$(BIN)/escalation validate-data data/sample
	test -f $(MODEL) || $(BIN)/escalation train --data data/sample --model-out $(MODEL)
	$(BIN)/escalation seed-demo --data data/sample  # first start only: a week of the sample, cut at now
	$(BIN)/escalation serve

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11'"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy core rules features training serving helpdesks synthetic

# Re-make the committed sample history (seeded: the output is byte-identical).
sample: $(STAMP)
	$(BIN)/escalation generate-sample --out data/sample --gzip

bench: $(STAMP)
	for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
