# Deep Learning Foundations — every target works as the first command on a fresh clone.
#   make lab      set up .venv (if needed) and open JupyterLab on notebooks/
#   make test     set up .venv (if needed) and run the whole test suite
#   make release  regenerate notebooks/ (student versions) from solutions/ with nbgrader
#   make validate NB=notebooks/ch01_tensors/ch01_tensors.ipynb   nbgrader validate, exit 1 on a failing test
#   make grade CH=ch01_tensors JOBS=4   autograde every submission of a chapter, 4 at a time, with a summary
#                                       table; exit 1 if one could not be graded (FORCE=1 regrades)
#   make audit CH=ch01_tensors   after autograde: list submissions that tamper with the checks
#   make clean    remove caches and nbgrader working folders (keeps .venv; `make distclean` removes it)

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= auto
# nbgrader runs helper programs (alembic) from the environment: keep the venv first on PATH.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
CHAPTERS := $(sort $(notdir $(wildcard solutions/ch[0-9][0-9]_*)))

.PHONY: lab test release validate grade audit clean distclean setup

setup: $(STAMP)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v[:2] == (3, 11) else "Python 3.11 is required, found %d.%d at %s (set PYTHON=/path/to/python3.11)" % (v[0], v[1], sys.executable))'
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

test: $(STAMP)
	DLF_FAST=1 MPLBACKEND=Agg $(BIN)/python -m pytest -n $(JOBS) --dist loadgroup --durations=10 --timeout 900 tests

release: $(STAMP)
	@db=$$(mktemp -d); \
	for ch in $(CHAPTERS); do \
		$(BIN)/nbgrader generate_assignment $$ch --force --log-level=WARN \
			--CourseDirectory.db_url=sqlite:///$$db/gradebook.db || exit 1; \
	done; rm -rf $$db
	@echo "notebooks/ regenerated for: $(CHAPTERS)"

validate: $(STAMP)
	@test -n "$(NB)" || { echo "usage: make validate NB=path/to/notebook.ipynb"; exit 2; }
	$(BIN)/python -m utils.grading validate $(NB)

grade: $(STAMP)
	@test -n "$(CH)" || { echo "usage: make grade CH=chNN_name [JOBS=N] [FORCE=1]"; exit 2; }
	$(BIN)/python -m utils.grade_submissions $(CH) --jobs $(JOBS) $(if $(FORCE),--force)

audit: $(STAMP)
	@test -n "$(CH)" || { echo "usage: make audit CH=chNN_name"; exit 2; }
	$(BIN)/python -m utils.grading audit $(CH)

clean:
	rm -rf .pytest_cache .cache gradebook.db submitted autograded feedback release source autograde-logs
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
