# realpolitik: set-up and everyday tasks.  `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
RP     := $(VENV)/bin/realpolitik
PIP_FLAGS := --quiet --disable-pip-version-check

EVAL   := ../shared/eval
.PHONY: demo test install dev lint bench schema clean eval train

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install $(PIP_FLAGS) -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(PIP) install $(PIP_FLAGS) -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

## The main job on the bundled example corpus: ingest it into the embedded store, then summarise.
demo: install
	$(RP) ingest examples/corpus --db demo.duckdb
	$(RP) summary --db demo.duckdb
	$(RP) report --db demo.duckdb --html report.html

## The test suite (model-loading tests included; they share one pipeline).
test: dev
	$(PY) -m pytest -q

lint: dev
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

bench: install
	$(PY) bench/throughput.py
	$(PY) bench/ingest.py
	$(PY) bench/import.py
	$(PY) bench/analytics.py

## Accuracy on the public gold data beside the repository; refreshes the README table.
eval: install
	rm -f eval-errors.jsonl
	$(RP) eval $(EVAL)/plv_train/PLV_train.tsv $(EVAL)/plover_gsr/PLOVER_GSR_CAMEO.txt \
		--json eval-scores.json --errors eval-errors.jsonl --no-confusion
	$(RP) eval $(EVAL)/plv_train/PLV_train.tsv $(EVAL)/plover_gsr/PLOVER_GSR_CAMEO.txt \
		--json eval-scores-rules.json --no-confusion --rules-only > /dev/null
	$(PY) scripts/readme_eval.py eval-scores.json README.md eval-scores-rules.json

## Retrain the event-type model on the project's own corpus (training/corpus).
train: $(VENV)/.installed
	$(PIP) install $(PIP_FLAGS) -e '.[train]'
	$(PY) -m realpolitik.learn.train training/corpus/*.jsonl --out src/realpolitik/learn/data \
		--report training/report.json \
		--calibrate-on training/corpus/part5_wire_cooperation.jsonl training/corpus/part6_wire_conflict.jsonl

## Regenerate docs/event.schema.json from the records in realpolitik.model.
schema: install
	$(RP) schema --output docs/event.schema.json

clean:
	rm -rf $(VENV) demo.duckdb report.html report-plots demo-events.jsonl eval-scores.json eval-errors.jsonl .pytest_cache .mypy_cache .ruff_cache
