# Deep Learning Foundations — every target works as the first command on a fresh clone.
#   make lab      set up .venv (if needed) and open JupyterLab on notebooks/
#   make lint     ruff (lint and format check) over the .py files, mypy over utils/, then `make lint-notebooks`
#   make lint-notebooks   ruff (lint and format check) over the source notebooks (solutions/, templates/)
#   make test     set up .venv (if needed), run `make lint`, then the whole test suite (every solution notebook under nbval included)
#   make test-fast   the inner loop while writing a chapter (< 2 min): utils, leaks, one chapter whole (CH=)
#   make check NB=solutions/ch01_tensors/ch01_tensors.ipynb   after editing a chapter: nbval + its released copy
#   make release  regenerate notebooks/ (student versions) from solutions/ with nbgrader
#   make validate NB=notebooks/ch01_tensors/ch01_tensors.ipynb   nbgrader validate: one block per failing test, exit 1
#   make grade CH=ch01_tensors JOBS=4   autograde every submission of a chapter, 4 at a time, with a summary
#                                       table; exit 1 if one could not be graded (FORCE=1 regrades)
#   make audit CH=ch01_tensors   after autograde: list submissions that tamper with the checks
#   make test-py312   install the course into a fresh Python 3.12 venv and run a representative subset
#   make clean    remove caches and nbgrader working folders (keeps .venv; `make distclean` removes it)

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= auto
# nbgrader runs helper programs (alembic) from the environment: keep the venv first on PATH.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
CHAPTERS := $(sort $(notdir $(wildcard solutions/ch[0-9][0-9]_*)))

# Every notebook runs top to bottom in a kernel of this environment, in fast mode; a cell that raises
# fails (outputs are not compared). conftest.py keeps a notebook's cells on one xdist worker.
NBVAL  := --nbval-lax --nbval-current-env
PYTEST := DLF_FAST=1 MPLBACKEND=Agg $(BIN)/python -m pytest --dist loadgroup --durations=15 --timeout 900
# make test-fast: utils and project tests, every chapter's leak check, and one chapter (CH, default
# ch01_tensors) whole: its release sync, its harness and its nbval run.
CH     ?= ch01_tensors
FAST_K := $(CH) or not (in_sync or full_marks or scores_zero or overwriting or mutant or ipynb)

.PHONY: lab lint lint-notebooks test test-fast test-py312 check release validate grade audit clean distclean setup

setup: $(STAMP)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if (3, 11) <= v[:2] <= (3, 13) else "Python 3.11 to 3.13 is required, found %d.%d at %s (set PYTHON=/path/to/python3.11)" % (v[0], v[1], sys.executable))'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever the pins change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/jupyter labextension enable --level=sys_prefix @jupyter/nbgrader >/dev/null
	$(BIN)/jupyter server extension enable --sys-prefix nbgrader.server_extensions.validate_assignment >/dev/null
	$(BIN)/jupyter server extension enable --sys-prefix nbgrader.server_extensions.formgrader >/dev/null
	@touch $@

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root)

# `ruff format .` fixes what `ruff format --check` reports; `ruff check --fix .` most lint findings.
lint: $(STAMP)
	$(BIN)/ruff check --extend-exclude '*.ipynb' .
	$(BIN)/ruff format --check --extend-exclude '*.ipynb' .
	$(BIN)/mypy
	@$(MAKE) --no-print-directory lint-notebooks

# The notebooks' own rules are in pyproject.toml ("*.ipynb"). notebooks/ is never linted: it is generated, and
# nbgrader checksums its locked cells. Fix the sources, then release: `ruff format solutions templates`,
# `ruff check --fix solutions templates` (review what it removes), `make release`.
lint-notebooks: $(STAMP)
	$(BIN)/ruff check solutions templates
	$(BIN)/ruff format --check solutions templates

test: lint
	$(PYTEST) -n $(JOBS) $(NBVAL) tests solutions

test-fast: $(STAMP)
	$(PYTEST) -n $(JOBS) $(NBVAL) -k "$(FAST_K)" tests/test_utils_*.py tests/test_project.py tests/test_grading.py solutions/$(CH)

# NB: a solution notebook (a notebooks/ path is mapped to its source). nbval runs it; the harness
# checks its released copy: in sync with `make release`, no leaks, and run blank every cell before
# the first stub runs and every test cell fails with NotImplementedError only.
check: $(STAMP)
	@test -n "$(NB)" || { echo "usage: make check NB=solutions/chNN_name/chNN_name.ipynb"; exit 2; }
	$(PYTEST) -n $(JOBS) $(NBVAL) -k "$(basename $(notdir $(NB))) and (ipynb or in_sync or leaks or scores_zero)" \
		solutions/$(basename $(notdir $(NB)))/$(notdir $(NB)) tests/test_grading.py

# CI (after `make test`): the course on Python 3.12 (Colab's), in its own throwaway venv.
test-py312:
	.ci/python-compat 3.12

release: $(STAMP)
	@db=$$(mktemp -d); \
	for ch in $(CHAPTERS); do \
		$(BIN)/nbgrader generate_assignment $$ch --force --log-level=WARN \
			--CourseDirectory.db_url=sqlite:///$$db/gradebook.db || exit 1; \
	done; rm -rf $$db
	@echo "notebooks/ regenerated for: $(CHAPTERS)"

# `make validate` exits with status 1 when a test fails, as `python -m utils.grading_tools validate` does
# (make's own status for a failed command is 2): for this goal make runs in question mode (-q), in
# which the status 1 of a `+` command becomes make's status, as for a recursive `make -q`.
ifeq ($(MAKECMDGOALS),validate)
MAKEFLAGS += q
endif
validate:
	+@test -n "$(NB)" || { echo "usage: make validate NB=path/to/notebook.ipynb [SHOW_SOURCE=1]"; exit 2; }
	+@MAKEFLAGS= $(MAKE) -s setup
	+@$(BIN)/python -m utils.grading_tools validate $(if $(SHOW_SOURCE),--show-source) $(NB)

grade: $(STAMP)
	@test -n "$(CH)" || { echo "usage: make grade CH=chNN_name [JOBS=N] [FORCE=1]"; exit 2; }
	$(BIN)/python -m utils.grade_submissions $(CH) --jobs $(JOBS) $(if $(FORCE),--force)

audit: $(STAMP)
	@test -n "$(CH)" || { echo "usage: make audit CH=chNN_name"; exit 2; }
	$(BIN)/python -m utils.grading_tools audit $(CH)

clean:
	rm -rf .pytest_cache .cache gradebook.db submitted autograded feedback release source autograde-logs
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
