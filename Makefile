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

# axe-core for the accessibility test (docs/accessibility.md); without npm the test skips and says why
AXE := node_modules/.package-lock.json
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the accessibility test will skip (install npm, then make test)"; fi

test: $(BIN)/.installed $(AXE)  ## the whole test suite, lint included
	$(BIN)/ruff check rsqm tests app.py bench scripts
	$(BIN)/python -m pytest

bench: $(BIN)/.installed  ## regenerate BENCHMARKS.md
	$(BIN)/python -m bench.run
