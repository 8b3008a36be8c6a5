# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test venv messages lint format migrations-check system-deps clean

run: venv messages
	PORT=$(PORT) bash scripts/run.sh

test: venv messages
	bash scripts/test.sh

venv: $(STAMP)

$(STAMP): pyproject.toml
	bash scripts/system-deps.sh base
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

messages: venv
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check:
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var test-artifacts
