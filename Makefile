# realpolitik: set-up and everyday tasks.  `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
RP     := $(VENV)/bin/realpolitik
PIP_FLAGS := --quiet --disable-pip-version-check

EVAL   := ../shared/eval
## the texts of the real_dev articles, rebuilt by hand as ../shared/eval/real_dev/README.md says (never committed)
DEV_TEXTS := .eval/real_dev
.PHONY: demo test install dev lint bench schema clean eval train calibrate browser screenshots serve

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

## The test suite (model-loading tests included; they share one pipeline; the dashboard's run in Chromium).
test: dev browser
	$(PY) -m pytest -q

## Debian's Chromium for the dashboard's browser tests (Playwright drives it; nothing is downloaded by Playwright).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing Debian's chromium for the browser tests"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## Refresh the README's screenshots of the dashboard (taken by the browser tests).
screenshots: dev browser
	REALPOLITIK_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/server/test_browser.py tests/server/test_browser_watch.py

## The dashboard and HTTP API over the demo store, on http://127.0.0.1:8765/
serve: demo
	$(RP) serve --db demo.duckdb

lint: dev
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

bench: install
	$(PY) bench/throughput.py
	$(PY) bench/ingest.py
	$(PY) bench/import.py
	$(PY) bench/analytics.py
	$(PY) bench/api.py
	$(PY) bench/watch.py

## Accuracy on the public gold data beside the repository; refreshes the README table.
eval: install
	rm -f eval-errors.jsonl
	$(RP) eval $(EVAL)/plv_train/PLV_train.tsv $(EVAL)/plover_gsr/PLOVER_GSR_CAMEO.txt \
		--json eval-scores.json --errors eval-errors.jsonl --no-confusion
	$(RP) eval $(EVAL)/plv_train/PLV_train.tsv $(EVAL)/plover_gsr/PLOVER_GSR_CAMEO.txt \
		--json eval-scores-model.json --no-confusion --model > /dev/null
	@if [ -d $(DEV_TEXTS)/articles ]; then \
	  $(RP) eval $(EVAL)/real_dev/real_dev_gold.json --texts $(DEV_TEXTS) --json eval-scores-docs.json \
	    --errors eval-errors.jsonl; \
	else echo "no texts in $(DEV_TEXTS): the real_dev documents are not scored (see $(EVAL)/real_dev/README.md)"; \
	  rm -f eval-scores-docs.json; fi
	$(PY) scripts/readme_eval.py eval-scores.json README.md eval-scores-model.json eval-scores-docs.json

## Retrain the event-type model on the project's own corpus (training/corpus).
train: $(VENV)/.installed
	$(PIP) install $(PIP_FLAGS) -e '.[train]'
	$(PY) -m realpolitik.learn.train training/corpus/*.jsonl --out src/realpolitik/learn/data \
		--report training/report.json \
		--calibrate-on training/corpus/part5_wire_cooperation.jsonl training/corpus/part6_wire_conflict.jsonl

## Refit the confidence map (rules' score -> share right) on the project's own corpus.
calibrate: $(VENV)/.installed
	$(PIP) install $(PIP_FLAGS) -e '.[train]'
	$(PY) -m realpolitik.learn.calibrate training/corpus/*.jsonl --out src/realpolitik/learn/data/confidence.json

## Regenerate docs/event.schema.json from the records in realpolitik.model.
schema: install
	$(RP) schema --output docs/event.schema.json

clean:
	rm -rf $(VENV) demo.duckdb report.html report-plots demo-events.jsonl eval-scores.json eval-scores-model.json eval-scores-docs.json eval-errors.jsonl .pytest_cache .mypy_cache .ruff_cache
