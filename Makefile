# The two commands of the README. Both set up everything they need on a fresh machine.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench

$(BIN)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/.installed  ## the dashboard on the bundled demo workspace (same code path as a team's server)
	$(BIN)/rsqm serve -w .

test: $(BIN)/.installed  ## the whole test suite, lint included
	$(BIN)/ruff check rsqm tests app.py bench scripts
	$(BIN)/python -m pytest

bench: $(BIN)/.installed  ## regenerate BENCHMARKS.md
	$(BIN)/python -m bench.run
