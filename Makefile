# One entry point for every routine task. `make run` and `make test` do all the set-up on a fresh machine:
# a virtual environment holding exactly requirements.lock (versions and hashes), plus the workspace's own
# packages installed from their folders. Nothing sets an import path: importing works because they are installed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed
# The workspace's packages: the folders `[tool.uv.workspace] members` in pyproject.toml names.
PACKAGES := $(patsubst %/pyproject.toml,%,$(wildcard libs/*/pyproject.toml services/*/pyproject.toml gateway/pyproject.toml))
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help venv lock lock-check proto drift lint fmt typecheck manifests check test run stop status bench clean \
	seed-national stop-national

help:
	@echo "make run        start PostgreSQL, the broker, every service (assessment with a second consumer process),"
	@echo "                one nameko worker on RabbitMQ (libs/worker)"
	@echo "                and the gateway, load demo data"
	@echo "make stop       stop everything 'make run' started"
	@echo "make test       run the whole test suite (real PostgreSQL, broker and RabbitMQ)"
	@echo "make check      lint, types, lock, contract drift, manifests, architecture contracts"
	@echo "make bench      benchmarks: GraphQL vs plain JSON over the same gRPC calls; one full SKP, GraphQL vs gRPC;"
	@echo "                assessment: realisasi vs durable raw commits, projection lag, inbox at 10,000 vs 100;"
	@echo "                national: each read path in a ministry of 250,000 vs a kabupaten of 10,000 (1M in all)"
	@echo "make seed-national  the national data set in .national/ (1,000,000 pegawai; PEGAWAI=n, SEED=s, FRESH=1)"
	@echo "                and its stack on ports +100 (gateway 8100); make stop-national stops it"
	@echo "make peak       the January peak through GraphQL on the national data set (PEAK_ARGS=\"--rate 20 --profile\")"
	@echo "make proto      regenerate libs/proto from proto/"
	@echo "make lock       re-lock after changing a pyproject.toml"
	@echo "make fmt        ruff format and fixes"

$(STAMP): requirements.lock tools/bootstrap.txt $(addsuffix /pyproject.toml,$(PACKAGES)) pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-deps --require-hashes -r tools/bootstrap.txt
	$(UV) pip sync --quiet --python $(PY) --require-hashes requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps $(addprefix -e ,$(PACKAGES))
	@touch $(STAMP)

venv: $(STAMP)

lock: $(STAMP)
	$(PY) tools/lock.py

lock-check: $(STAMP)
	$(PY) tools/lock.py --check

proto: $(STAMP)
	$(PY) tools/gen_proto.py

# The generated code against proto/, the committed SDL against the schema, the architecture contracts.
drift: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider tests/contracts tests/gateway/test_gateway_schema.py -k "not introspection"

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

typecheck: $(STAMP)
	$(PY) -m mypy

manifests: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider tests/deploy

# The gate CI runs before the tests: every check that needs no running infrastructure.
check: lint typecheck lock-check drift manifests

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
	$(PY) tests/bench/bench_assessment.py
	$(PY) tests/bench/bench_national.py

# The national data set (kinerja_testing/national/README.md): made once, then only its stack is started.
PEGAWAI ?= 1000000
SEED ?= 7
seed-national: $(STAMP)
	$(PY) -m kinerja_testing.national seed --pegawai $(PEGAWAI) --seed $(SEED) $(if $(FRESH),--fresh)

stop-national: $(STAMP)
	$(PY) -m kinerja_testing.national stop

# The January peak (tests/bench/peak_january.py, docs/scaling.md): open loop at a rate of realisasi writes with
# the reads, umpan balik and ratings around them; PEAK_ARGS="--small" for a small data set of its own.
peak: $(STAMP)
	$(PY) tests/bench/peak_january.py $(PEAK_ARGS)

clean: stop
	rm -rf .data
