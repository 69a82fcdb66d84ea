# Two commands on a fresh machine: `make site` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What building needs (Python and requirements.txt), and then what testing needs too
# (requirements-dev.txt, Chromium for the browser tests, the npm tools of the accessibility checks).
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test lint lock serve validate render bench clean

$(STAMP): pyproject.toml requirements.txt scripts/setup-venv.sh
	PYTHON=$(PYTHON) scripts/setup-venv.sh $(VENV) build
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) requirements-dev.txt package-lock.json
	PYTHON=$(PYTHON) scripts/setup-venv.sh $(VENV) test
	touch $(TEST_STAMP)

validate: $(STAMP)
	$(BIN)/digestgen validate deals

# ENGINE=zensical builds the same site with Zensical, Material's successor (see README.md).
ENGINE ?= mkdocs
site: $(STAMP)
	$(BIN)/digestgen build --engine $(ENGINE)
	@echo "Site built in site/. View it with: make serve (live preview at http://127.0.0.1:8000/digest/),"
	@echo "or serve the built files: python3 -m http.server -d site 8000, then open http://127.0.0.1:8000/"

# --dirty: only pages an edit changed are rebuilt (digestgen rebuilds all when the theme changes).
serve: $(STAMP)
	$(BIN)/digestgen serve --engine $(ENGINE)

render: $(STAMP)
	$(BIN)/digestgen render deals --out build/docs

# Lint and types first: ruff (style, bugs, complexity) and mypy (strict on src/), both set in pyproject.toml.
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# After a change to the dependencies in pyproject.toml: pin every package, with hashes, in requirements.txt.
lock: $(TEST_STAMP)
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.txt pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links --extra test --extra bench -o requirements-dev.txt pyproject.toml

test: lint
	$(BIN)/python -m pytest

# Not part of `make test`: about 13 minutes on 2 cores. SIZES="100 1000" for a quick run.
SIZES ?= 100 1000 10000
bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench.py --sizes $(SIZES)

clean:
	rm -rf site build
