# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
ADVISOR := $(VENV)/bin/advisor
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 7860
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test test-fast index train eval eval-heldout bench soak clean lint

$(PY):
	$(PYTHON) -m venv $(VENV)

# torch is installed first and pinned: the CPU wheel is served here, an unpinned one pulls CUDA.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "torch==2.13.0"
	$(PY) -m pip install -q -e ".[dev,llm]"
	touch $(STAMP)

index: $(STAMP)
	$(ADVISOR) ingest knowledge

run: index
	$(ADVISOR) serve --host $(HOST) --port $(PORT)

# Everything: unit, slow, browser (skipped when Chromium is absent) and the eval smoke.
test: $(STAMP)
	$(PY) -m pytest -m "" -p no:cacheprovider $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# Refit the understanding classifiers after editing knowledge/understanding/ (commit the .npz it writes).
train: $(STAMP)
	$(ADVISOR) train --cv

# make eval fails (exit 1) when a rate falls below the committed baseline's level.
EVAL_GATE := --fail-under verdict_accuracy=0.92 --fail-under component_accuracy=0.98 \
	--fail-under refusal_precision=1.0 --fail-under refusal_recall=1.0 --fail-under mention_rate=0.95 --fail-under cite_rate=0.95 \
	--fail-under citation_validity=1.0 --fail-under citation_support=0.95 --fail-under retrieval_hit_at_5=0.85

eval: index
	$(ADVISOR) eval --compare evals/baseline/summary.json $(EVAL_GATE)

# The frozen held-out sets (never trained or tuned on): figures in evals/README.md.
HELDOUT := $(foreach f,components conditions parts acts general scope conversations,--dataset evals/datasets/heldout/$(f).yaml)
# Sets 6 onward are split into an open and a sealed half (evals/heldout_halves.py).
eval-heldout: index
	$(ADVISOR) eval $(HELDOUT) --out evals/runs/heldout
	set -e; for n in 2 3 4 5; do $(ADVISOR) eval --dataset evals/datasets/heldout$$n --out evals/runs/heldout$$n; done
	set -e; for n in 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44; do \
	  $(ADVISOR) eval --dataset evals/datasets/heldout$$n --out evals/runs/heldout$$n; \
	  $(PY) evals/heldout_halves.py evals/runs/heldout$$n/results.jsonl; \
	done
	$(ADVISOR) eval --dataset evals/datasets/heldout/answers.yaml --out evals/runs/answers

bench: index
	$(PY) benchmarks/run_all.py

soak: index
	$(PY) benchmarks/soak.py

lint: $(STAMP)
	$(VENV)/bin/ruff check advisor tests benchmarks evals app.py

clean:
	rm -rf $(VENV) .advisor
