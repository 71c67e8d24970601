"""Project wiring: pins agree, the nbgrader config is what nbgrader reads, the README starts right."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_pins_match_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = set(project["dependencies"]) | set(project["optional-dependencies"]["dev"])
    yml = (ROOT / "environment.yml").read_text()
    conda_pins = set(re.findall(r"^\s+- ([A-Za-z0-9_.-]+==[^\s]+)\s*$", yml, re.M))
    assert pins == conda_pins, f"only in pyproject: {pins - conda_pins}; only in environment.yml: {conda_pins - pins}"
    assert "torch==2.14.1" in pins and "torchvision==0.29.1" in pins


def test_nbgrader_config_uses_only_real_classes_and_traits():
    """A misspelled class (e.g. `Validate` for `Validator`) would be silently ignored by nbgrader."""
    import nbgrader.apps  # noqa: F401  (imports every configurable)
    from traitlets.config import Configurable, PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()

    def all_subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from all_subclasses(sub)

    classes = {c.__name__: c for c in all_subclasses(Configurable)}
    for section, traits in config.items():
        assert section in classes, f"nbgrader_config.py: unknown class {section!r}"
        for trait in traits:
            assert classes[section].class_traits(config=True).get(trait), f"{section}.{trait} is not a config trait"
    assert config.Execute.timeout and config.OverwriteCells.add_missing_cells is True
    assert config.CourseDirectory.source_directory == "solutions"
    assert config.CourseDirectory.release_directory == "notebooks"


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    first_block = re.search(r"```(?:sh|bash)?\n(.*?)```", text, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.split("#")[0].strip()]
    assert commands == ["make lab", "make test"], commands


@pytest.mark.parametrize(
    "entry", ["gradebook.db", "submitted/", "autograded/", "feedback/", "data/", ".venv/", ".cache/"]
)
def test_gitignore(entry):
    assert entry in (ROOT / ".gitignore").read_text().splitlines()


def test_ci_runs_the_readme_command_with_shared_data():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "../shared/data" in ci and "DLF_DATA" in ci


def test_bench_scripts_compile_and_every_section_names_its_command():
    """bench/ scripts are run by hand (full mode, minutes): here they must at least compile, and
    docs/benchmarks.md must say for each section which command produced it."""
    import py_compile

    scripts = sorted((ROOT / "bench").glob("*.py"))
    assert scripts, "bench/ has no scripts"
    for script in scripts:
        py_compile.compile(str(script), doraise=True, cfile=None)
    doc = (ROOT / "docs" / "benchmarks.md").read_text()
    sections = re.findall(r"<!-- bench:(\w+) -->(.*?)<!-- /bench:\1 -->", doc, re.S)
    assert sections, "docs/benchmarks.md has no bench section"
    stems = {script.stem for script in scripts}
    for name, body in sections:
        # a script owns the sections named after it: `cifar10_cnn`, `cifar10_cnn_augmentation`, ...
        owner = max((stem for stem in stems if name == stem or name.startswith(stem + "_")), key=len, default=None)
        assert owner, f"section {name!r} is not named after a script in bench/"
        assert f"python bench/{owner}.py" in body, f"section {name!r} does not name its command"


def test_binder_environment_pins_match_pyproject():
    """Binder (repo2docker) builds binder/environment.yml before it copies the repository in, so
    that file has no `-e .` and binder/postBuild installs the course; its pins are the runtime pins."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    yml = (ROOT / "binder" / "environment.yml").read_text()
    conda_pins = set(re.findall(r"^\s+- ([A-Za-z0-9_.-]+==[^\s]+)\s*$", yml, re.M))
    assert conda_pins == set(project["dependencies"])
    assert not re.search(r"^\s+- -e ", yml, re.M) and "python=3.11" in yml
    post_build = ROOT / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111 and "pip install --no-deps -e ." in post_build.read_text()


def test_supported_pythons_are_stated_and_checked():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    assert "(3, 11) <= v[:2] <= (3, 13)" in (ROOT / "Makefile").read_text()
