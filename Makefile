# One entry point for every routine task. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := $(CURDIR)/libs/proto:$(CURDIR)/libs/kit:$(CURDIR)/services/identity:$(CURDIR)/services/org:$(CURDIR)/services/skp:$(CURDIR)/gateway:$(CURDIR)/deploy/local
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help venv proto proto-check lint fmt typecheck test test-fast run stop status logs bench clean

help:
	@echo "make run        start PostgreSQL, the broker, every service and the gateway, load demo data"
	@echo "make stop       stop everything 'make run' started"
	@echo "make test       run the whole test suite (real PostgreSQL, broker and RabbitMQ)"
	@echo "make bench      benchmarks: GraphQL vs plain JSON over the same gRPC calls; one full SKP, GraphQL vs gRPC"
	@echo "make proto      regenerate libs/proto from proto/"
	@echo "make lint       ruff;  make fmt  ruff format;  make typecheck  mypy"

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

proto: $(STAMP)
	$(PY) tools/gen_proto.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

typecheck: $(STAMP)
	$(PY) -m mypy

test: $(STAMP)
	$(PY) -m pytest -q

run: $(STAMP)
	$(PY) deploy/local/devstack.py up

stop: $(STAMP)
	$(PY) deploy/local/devstack.py down

status: $(STAMP)
	$(PY) deploy/local/devstack.py status

bench: $(STAMP)
	$(PY) tests/bench/bench_gateway.py
	$(PY) tests/bench/bench_skp.py

clean: stop
	rm -rf .data
